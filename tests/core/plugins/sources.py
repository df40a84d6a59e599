"""Source code of test plugins, written into throwaway distributions by `write_plugin`."""

from pathlib import Path

from core.testing.distributions import write_plugin

FULL = '''
from decimal import Decimal

from litestar import Request, get, post
from litestar.response import Template

from core.plugin_api import (AccountSection, Billing, CalendarSource, CliCommand, CurrentActor, JobSpec, Manifest,
                             MenuItem, Permission, Platform, Provider, Role, SlotContent, Widget, hookimpl)

MANIFEST = Manifest(id="PLUGIN_ID", title="Module PLUGIN_ID", summary="Un module de test", api=">=1.0,<2",
                    price_ht=Decimal("PRICE"), depends=DEPENDS, billing=Billing.BILLING,
                    permissions=(Permission("PLUGIN_ID.manage", "Gérer", Role.admin),))
CALLS = []
EVENTS = []  # the event objects received by on_event
VALIDATIONS = []  # validate_booking / validate_order calls


PLATFORM = []


@get("/")
async def home(request: Request, actor: CurrentActor) -> Template:
    platform = PLATFORM[0]
    return await platform.render(request, actor, "PLUGIN_ID/page.html", office_name=platform.office(request).name)


@get("/shadow")
async def shadow(request: Request, actor: CurrentActor) -> Template:
    """A page whose own variables carry the layout's former names (office, offices, menu, actor…)."""
    return await PLATFORM[0].render(request, actor, "PLUGIN_ID/shadow.html", office="bureau de la page",
                                    offices=["liste de la page"], menu="menu de la page", path="/ailleurs")


@get("/admin", opt={"permission": "PLUGIN_ID.manage"})
async def admin_page() -> str:
    return "administration PLUGIN_ID"


@get("/ping")
async def ping(request: Request) -> dict:
    return {"plugin": "PLUGIN_ID", "office_id": PLATFORM[0].office(request).id}


@get("/hello")
async def public_hello() -> str:
    return "bonjour de PLUGIN_ID"


@post("/callback", opt={"exclude_from_csrf": True})
async def public_callback(request: Request) -> dict:
    body = await request.json()
    CALLS.append(("callback", body))
    return {"received": body, "office_id": PLATFORM[0].office(request).id}


@hookimpl
def register_routes(platform: Platform):
    PLATFORM[:] = [platform]
    return [home, shadow, admin_page]


@hookimpl
def register_api_routes(platform):
    return [ping]


@hookimpl
def register_public_routes(platform):
    return [public_hello, public_callback]


@hookimpl
def register_permissions(platform):
    return [Permission("PLUGIN_ID.view", "Voir")]


@hookimpl
async def register_menu_items(platform, office):
    CALLS.append(("menu", office.id))
    return [MenuItem("Menu PLUGIN_ID", platform.office_url(office.id))]


@hookimpl
def register_dashboard_widgets(platform, office):
    return [Widget("Carte PLUGIN_ID", platform.render_fragment("PLUGIN_ID/widget.html", name=office.name))]


@hookimpl
def render_slot(platform, office, slot, context):
    CALLS.append(("slot", slot, office.id, sorted(context)))
    if slot == "public_head":
        return [SlotContent(stylesheet="PLUGIN_ID.css"), SlotContent(script="../../secret.js")]
    return [SlotContent(text="<b>Encart PLUGIN_ID</b> " + slot),
            SlotContent(template="PLUGIN_ID/widget.html", context={"name": "<i>" + slot + "</i>"}),
            SlotContent(template="layout.html"), "<script>alert(1)</script>"]


@hookimpl
def register_calendar_sources(platform):
    return [CalendarSource("PLUGIN_ID.guichet", "Guichet")]


class Sms:
    async def send(self, message):
        CALLS.append(("sms", message.office_id, message.text))


@hookimpl
def register_providers(platform):
    return [Provider(kind="sms", key="PLUGIN_ID.sms", label="SMS PLUGIN_ID", implementation=Sms())]


async def job(payload):
    CALLS.append(("job", payload))


@hookimpl
def register_organisation_public_routes(platform):
    @get("/bonjour")
    async def organisation_hello() -> str:
        return "bonjour"

    return [organisation_hello]


@hookimpl
async def load_demo(platform, organisation_id, office_id):
    CALLS.append(("demo", office_id))


@hookimpl
def register_jobs(platform):
    return [JobSpec("PLUGIN_ID.sync", job, every_seconds=60)]


async def cli_hello(args):
    print("hello", *args)
    return 0


@hookimpl
def register_cli_commands(platform):
    return [CliCommand("hello", "dit bonjour", cli_hello)]


@hookimpl
async def on_module_activated(platform, organisation_id, office_id):
    CALLS.append(("activated", office_id))


@hookimpl
def on_module_deactivated(platform, office_id):
    CALLS.append(("deactivated", office_id))


@hookimpl
async def on_event(platform, event):
    CALLS.append(("event", type(event).__name__, event.office_id))
    EVENTS.append(event)


@hookimpl
async def validate_booking(platform, booking):
    VALIDATIONS.append(("validate_booking", booking.office_id))


@hookimpl
async def on_module_purge(platform, organisation_id, office_id):
    CALLS.append(("purge", office_id))


@hookimpl
def validate_order(platform, order):
    VALIDATIONS.append(("validate_order", order.organisation_id))


@hookimpl
def register_account_routes(platform):
    @get("/mine")
    async def account_mine(request: Request) -> dict:
        return {"plugin": "PLUGIN_ID", "email": platform.account(request).email}

    return [account_mine]


@hookimpl
def register_account_sections(platform, account):
    return [AccountSection(title="Section PLUGIN_ID", text="pour " + account.email, href=platform.account_url("/mine"),
                           count=2)]


@hookimpl
async def export_account_data(platform, account):
    return {"plugin": "PLUGIN_ID", "email": account.email}


@hookimpl
def erase_account(platform, account):
    CALLS.append(("erase", account.id))
'''

PAGE = '''{% extends "layout.html" %}{% block content %}<h1>Page PLUGIN_ID</h1><p>{{ office_name }}</p>{% endblock %}'''
SHADOW = ('{% extends "layout.html" %}{% block content %}<p id="page-vars">{{ office }} · {{ offices | join(",") }}'
          ' · {{ menu }} · {{ path }}</p>{% endblock %}')
WIDGET = '''<p class="widget-PLUGIN_ID">Widget pour {{ name }}</p>'''


def full_plugin(folder: Path, plugin_id: str, price: str = "71.00", depends: tuple[str, ...] = (),
                billing: str = "one_off") -> str:
    """Write a plugin implementing every hook (`billing`: one_off or monthly); returns its package name."""
    def fill(text: str) -> str:
        return (text.replace("PLUGIN_ID", plugin_id).replace("PRICE", price).replace("DEPENDS", repr(depends))
                .replace("BILLING", billing))

    return write_plugin(folder, plugin_id, fill(FULL), files={
        f"templates/{plugin_id}/page.html": fill(PAGE),
        f"templates/{plugin_id}/shadow.html": SHADOW, f"templates/{plugin_id}/widget.html": fill(WIDGET)})


def broken_plugin(folder: Path, plugin_id: str, body: str) -> str:
    """A plugin whose hooks module is `body` (formatted with the id)."""
    return write_plugin(folder, plugin_id, body.replace("PLUGIN_ID", plugin_id))


# A module publishing a hook (`MANIFEST.hookspecs`, API 1.3; its `specs.py` is written by the test) and a module
# implementing it.
PUBLISHER = '''
from core.plugin_api import Manifest

MANIFEST = Manifest(id="PLUGIN_ID", title="Éditeur PLUGIN_ID", api=">=1.3,<2", hookspecs="socle_test_PLUGIN_ID.specs")
'''
IMPLEMENTER = '''
from core.plugin_api import Manifest, hookimpl

MANIFEST = Manifest(id="PLUGIN_ID", title="Implémente PLUGIN_ID", api=">=1.3,<2")


@hookimpl
def register_greetings(platform, office_name):
    return [f"Bonjour {office_name} de {platform.plugin_id}"]
'''
