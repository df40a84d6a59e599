"""Plugin API 1.1: `validate_booking` and `validate_order` refuse a change before it commits. The French
message reaches the user (422), nothing is written, the refusal is audited; only plugins active in the
booking's office are asked; a validator that crashes is isolated and the change goes through."""

import pytest

from core import db
from core.auth.tables import AuditEntry
from core.calendar.tables import Booking
from core.modules import activation
from core.testing.distributions import write_plugin
from core.testing.fixtures import api_token
from tests.core.calendar.test_api import BASE, at, setup_calendar
from tests.core.modules.helpers import add_office

VETO = '''
from core.plugin_api import Manifest, ValidationFailed, hookimpl

MANIFEST = Manifest(id="veto", title="Règles de l'auto-école")
SEEN = []


@hookimpl
async def validate_booking(platform, booking):
    SEEN.append(booking)
    if booking.start.hour >= 10:
        raise ValidationFailed.on("start", "Les examens blancs ont lieu avant 10 h.")


@hookimpl
def validate_order(order):
    if any(line.module == "interdit" for line in order.lines):
        raise ValidationFailed.on("module", "Ce module n'est pas proposé aux auto-écoles.")
'''
BROKEN = '''
from core.plugin_api import Manifest, hookimpl

MANIFEST = Manifest(id="casse", title="Validateur en panne")


@hookimpl
def validate_booking(booking):
    raise RuntimeError("validateur en panne")
'''
INTERDIT = '''
from decimal import Decimal
from core.plugin_api import Manifest

MANIFEST = Manifest(id="interdit", title="Module interdit", price_ht=Decimal("10.00"))
'''


@pytest.fixture
def app_factory(settings, plugin_folder):
    from core.web import create_app

    for plugin_id, source in (("veto", VETO), ("casse", BROKEN), ("interdit", INTERDIT)):
        write_plugin(plugin_folder, plugin_id, source)
    return lambda: create_app(settings, plugins=["veto", "casse", "interdit"])


def seen() -> list:
    import sys

    return sys.modules["socle_test_veto.hooks"].SEEN


async def test_a_refused_booking_shows_the_message_and_leaves_nothing(client, app, make_org):
    org = await make_org()
    owner = await api_token(client, org.owner_email)
    for module in ("veto", "casse"):
        await activation.set_active(org.organisation_id, org.office_id, module, True)
    calendar = await setup_calendar(client, org, owner)
    bookings = BASE.format(org.office_id) + f"/{calendar['id']}/bookings"
    seen().clear()

    refused = await client.post(bookings, headers=owner, json={"start": at(0, 10), "end": at(0, 11)})
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"] == [{"field": "start", "message": "Les examens blancs ont lieu avant 10 h."}]
    assert await Booking.count() == 0
    [entry] = await AuditEntry.select().where(AuditEntry.action == "plugin.validate_booking.refused")
    assert "veto" in entry["summary"] and "avant 10 h" in entry["summary"]
    assert seen()[0].office_id == org.office_id and seen()[0].booking_id is None

    ok = await client.post(bookings, headers=owner, json={"start": at(0, 9), "end": at(0, 10)})
    assert ok.status_code == 201, ok.text  # the crashing validator `casse` is isolated
    moved = await client.post(BASE.format(org.office_id) + f"/bookings/{ok.json()['id']}/move", headers=owner,
                              json={"start": at(0, 10), "end": at(0, 11)})
    assert moved.status_code == 422 and seen()[-1].booking_id == ok.json()["id"]
    [row] = await Booking.select(Booking.start_ts)
    assert row["start_ts"] == int(__import__("datetime").datetime.fromisoformat(at(0, 9)).timestamp())


async def test_only_plugins_active_in_the_office_are_asked(client, app, make_org):
    org = await make_org()
    owner = await api_token(client, org.owner_email)
    annexe = await add_office(client, owner, "Annexe")
    await activation.set_active(org.organisation_id, annexe, "veto", True)
    calendar = await setup_calendar(client, org, owner)
    seen().clear()
    booked = await client.post(BASE.format(org.office_id) + f"/{calendar['id']}/bookings", headers=owner,
                               json={"start": at(0, 10), "end": at(0, 11)})
    assert booked.status_code == 201 and seen() == []


async def test_a_refused_order_is_not_placed(client, app, make_org):
    org = await make_org()
    owner = await api_token(client, org.owner_email)
    await activation.set_active(org.organisation_id, org.office_id, "veto", True)
    line = await client.post("/api/v1/cart/lines", headers=owner,
                             json={"office_id": org.office_id, "module": "interdit", "action": "activate"})
    assert line.status_code == 201, line.text
    refused = await client.post("/api/v1/cart/checkout", headers=owner)
    assert refused.status_code == 422
    assert refused.json()["errors"] == [{"field": "module", "message": "Ce module n'est pas proposé aux auto-écoles."}]
    assert (await client.get("/api/v1/orders", headers=owner)).json() == []
    assert "interdit" not in await activation.active_in_office(org.office_id)
    assert len((await client.get("/api/v1/cart", headers=owner)).json()["lines"]) == 1  # the cart is kept
    assert await AuditEntry.count().where(AuditEntry.action == "plugin.validate_order.refused") == 1
    assert db.in_write_transaction() is False
