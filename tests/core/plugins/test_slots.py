"""Plugin API 1.2: named insertion points. A module's content appears on the dashboard, the office page and
the member page only in the office where it is active; its text and template values are escaped, a core
template or raw string it returns is ignored, and the public head links only into its own static folder."""

import re

from markupsafe import Markup

from core.plugin_api import SlotContent
from core.plugins.slots import render_item
from core.testing.fixtures import CSRF_RE, login
from tests.core.plugins.test_gating import _two_offices_alpha_in_first

ENCART = "&lt;b&gt;Encart alpha&lt;/b&gt;"


async def _switch(client, office_id: int) -> None:
    csrf = CSRF_RE.search((await client.get("/dashboard")).text).group(1)
    await client.post("/switch/office", data={"office_id": str(office_id), "_csrf_token": csrf})


async def test_slots_render_escaped_only_where_the_module_is_active(client, make_org):
    org, _, second = await _two_offices_alpha_in_first(client, make_org)
    await login(client, org.owner_email)
    dashboard = (await client.get("/dashboard")).text
    assert f"{ENCART} dashboard" in dashboard and "<b>Encart" not in dashboard
    assert "Widget pour &lt;i&gt;dashboard&lt;/i&gt;" in dashboard  # the module's template, autoescaped
    assert 'data-module="alpha"' in dashboard and "alert(1)" not in dashboard
    assert dashboard.count('class="topbar"') == 1  # layout.html asked as a slot template is refused
    office_page = (await client.get(f"/config/offices/{org.office_id}")).text
    assert f"{ENCART} office" in office_page
    assert "Encart" not in (await client.get(f"/config/offices/{second}")).text
    member_id = re.search(r'href="/config/members/(\d+)"', (await client.get("/config")).text).group(1)
    assert f"{ENCART} member" in (await client.get(f"/config/members/{member_id}")).text
    await _switch(client, second)
    assert "Encart" not in (await client.get("/dashboard")).text
    assert "Encart" not in (await client.get(f"/config/members/{member_id}")).text


def test_public_head_links_only_into_the_modules_static_folder():
    class Manager:
        def render_fragment(self, template, context):
            raise AssertionError("no template in the head")

    head = render_item(Manager(), "alpha", "public_head",
                       SlotContent(stylesheet="alpha.css", script="js/a.js", text="<b>ignored</b>"))
    assert head == Markup('<link rel="stylesheet" href="/static/m/alpha/alpha.css">'
                          '<script src="/static/m/alpha/js/a.js" defer></script>')
    for bad in ("../../secret.js", "/etc/passwd", "https://evil.test/x.js", "a//b.js", 'x.js" onload="y'):
        assert render_item(Manager(), "alpha", "public_head", SlotContent(script=bad)) == Markup("")


async def test_rdv_booking_page_and_public_head_carry_the_slots(client, make_org, add_member):
    from datetime import UTC, datetime, timedelta

    from core import db
    from core.auth.services import actor_for
    from core.modules.activation import set_active
    from plugins.rdv_service_public.services import booking
    from plugins.rdv_service_public.services.common import Ctx
    from tests.plugins.rdv_service_public.test_browser import _town

    org, motif, _ = await _town(make_org, add_member)
    public = "/public/o/mairie-de-saint-vallier/m/rdv_service_public/"
    assert "/static/m/alpha/" not in (await client.get(public)).text  # alpha not active yet
    async with db.write_transaction():
        await set_active(org.organisation_id, org.office_id, "alpha", True)
    head = (await client.get(public)).text.split("</head>")[0]
    assert '<link rel="stylesheet" href="/static/m/alpha/alpha.css">' in head and "secret.js" not in head
    owner = await actor_for(org.owner_user_id, org.organisation_id)
    c = Ctx(org.organisation_id, org.office_id, "Europe/Paris", owner)
    start = (datetime.now(UTC) + timedelta(days=3)).replace(hour=8, minute=0, second=0, microsecond=0)
    rdv = await booking.create(c, {"motif_id": motif.id, "member_id": owner.member_id,
                                   "starts_at": start.isoformat(), "citizen_name": "Léa"}, confirm_outside_hours=True)
    await login(client, org.owner_email)
    page = (await client.get(f"/offices/{org.office_id}/m/rdv_service_public/rdvs/{rdv.id}")).text
    assert f"{ENCART} booking" in page and 'data-module="alpha"' in page
