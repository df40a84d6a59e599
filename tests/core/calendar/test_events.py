"""Booking changes reach plugins as typed events and land in the audit log.

A booking made, moved or cancelled through the calendar API (or by a module through the service) is
delivered as BookingCreated / BookingMoved / BookingCancelled to `on_event` of the plugins active in that
office only, once its transaction has committed: a refused booking (409/422) or a rolled-back transaction
delivers nothing. A raising `on_event` is isolated. Each change writes an audit entry in its transaction."""

import sys
from datetime import datetime

import pytest

from core import calendar as cal
from core import db
from core.auth.tables import AuditEntry
from core.modules import activation
from core.plugin_api import BookingCancelled, BookingCreated, BookingMoved
from core.testing.distributions import write_plugin
from core.testing.fixtures import api_token, login
from tests.core.calendar.test_api import BASE, at, setup_calendar
from tests.core.modules.helpers import add_office

RAISER = '''
from core.plugin_api import Manifest, hookimpl

MANIFEST = Manifest(id="raiser", title="Module qui plante")


@hookimpl
def on_event(platform, event):
    raise RuntimeError("on_event en panne")
'''


@pytest.fixture
def app_factory(settings, test_plugins, plugin_folder):
    """The test plugins alpha, beta, gamma (which record the events they receive) and `raiser`."""
    from core.web import create_app

    write_plugin(plugin_folder, "raiser", RAISER)
    return lambda: create_app(settings)


def events(plugin_id: str) -> list:
    return [e for e in sys.modules[f"socle_test_{plugin_id}.hooks"].EVENTS if type(e).__name__.startswith("Booking")]


async def office_with_alpha(client, make_org):
    """An org whose main office has alpha and raiser active, beta active only in a second office; a calendar
    (Mondays and Wednesdays 9:00-11:00, 1 seat) in the main office."""
    org = await make_org()
    owner = await api_token(client, org.owner_email)
    annexe = await add_office(client, owner, "Annexe")
    for office, module in ((org.office_id, "alpha"), (org.office_id, "raiser"), (annexe, "beta")):
        await activation.set_active(org.organisation_id, office, module, True)
    return org, owner, await setup_calendar(client, org, owner)


async def test_api_booking_move_and_cancel_reach_only_plugins_active_in_the_office(client, app, make_org,
                                                                                    add_member):
    org, _, calendar = await office_with_alpha(client, make_org)
    member_id, email = await add_member(org, "admin")  # an admin: the move below is outside the opening hours
    agent = await api_token(client, email)
    made = await client.post(BASE.format(org.office_id) + f"/{calendar['id']}/bookings", headers=agent, json={
        "start": at(0, 9), "end": at(0, 10), "label": "M. Martin", "source_plugin": "crm", "source_ref": "rdv-7"})
    assert made.status_code == 201, made.text
    booking_id = made.json()["id"]
    common = {"organisation_id": org.organisation_id, "office_id": org.office_id, "calendar_id": calendar["id"],
              "booking_id": booking_id, "source_plugin": "crm", "source_ref": "rdv-7"}
    assert events("alpha") == [BookingCreated(**common, start=datetime.fromisoformat(at(0, 9)),
                                              end=datetime.fromisoformat(at(0, 10)), seats=1, created_by=member_id,
                                              outside_hours=False)]
    moved = await client.post(BASE.format(org.office_id) + f"/bookings/{booking_id}/move", headers=agent,
                              json={"start": at(1, 15), "end": at(1, 16), "allow_outside_hours": True})
    assert moved.status_code == 201, moved.text
    cancelled = await client.post(BASE.format(org.office_id) + f"/bookings/{booking_id}/cancel", headers=agent,
                                  json={"reason": "  Empêchement "})
    assert cancelled.status_code == 201, cancelled.text
    assert events("alpha")[1:] == [
        BookingMoved(**common, start=datetime.fromisoformat(at(1, 15)), end=datetime.fromisoformat(at(1, 16)),
                     previous_start=datetime.fromisoformat(at(0, 9)), previous_end=datetime.fromisoformat(at(0, 10)),
                     by=member_id, outside_hours=True),
        BookingCancelled(**common, start=datetime.fromisoformat(at(1, 15)), end=datetime.fromisoformat(at(1, 16)),
                         by=member_id, reason="Empêchement")]
    assert events("beta") == [] and events("gamma") == []  # active in another office / nowhere
    errors = app.state.plugins.record("raiser").runtime_errors
    assert len(errors) == 3 and all("on_event" in e and "en panne" in e for e in errors)


async def test_refused_bookings_moves_and_cancellations_deliver_nothing(client, make_org):
    org, owner, calendar = await office_with_alpha(client, make_org)
    url = BASE.format(org.office_id) + f"/{calendar['id']}/bookings"
    first = await client.post(url, headers=owner, json={"start": at(0, 9), "end": at(0, 10)})
    other = await client.post(url, headers=owner, json={"start": at(2, 9), "end": at(2, 10)})
    assert first.status_code == other.status_code == 201
    assert len(events("alpha")) == 2
    refused = [
        await client.post(url, headers=owner, json={"start": at(0, 9), "end": at(0, 10)}),  # full
        await client.post(url, headers=owner, json={"start": at(1, 9), "end": at(1, 10)}),  # closed, not confirmed
        await client.post(url, headers=owner, json={"start": at(0, 10), "end": at(0, 9)}),  # end before start
        await client.post(BASE.format(org.office_id) + f"/bookings/{other.json()['id']}/move", headers=owner,
                          json={"start": at(0, 9), "end": at(0, 10)}),  # onto the first booking
    ]
    assert [r.status_code for r in refused] == [409, 409, 422, 409]
    cancel = BASE.format(org.office_id) + f"/bookings/{first.json()['id']}/cancel"
    assert (await client.post(cancel, headers=owner, json={})).status_code == 201
    assert (await client.post(cancel, headers=owner, json={})).status_code == 409  # already cancelled
    assert [type(e).__name__ for e in events("alpha")] == ["BookingCreated", "BookingCreated", "BookingCancelled"]


async def test_rolled_back_transaction_delivers_nothing_committed_one_delivers_after_commit(client, make_org):
    """How modules book: inside their own write transaction, which may roll back or catch a refusal."""
    org, _, calendar = await office_with_alpha(client, make_org)
    start, end = datetime.fromisoformat(at(0, 9)), datetime.fromisoformat(at(0, 10))
    with pytest.raises(RuntimeError):
        async with db.write_transaction():
            await cal.book(org.organisation_id, calendar["id"], start, end, source_plugin="alpha")
            raise RuntimeError("le module échoue après avoir réservé")
    assert events("alpha") == []
    assert await cal.bookings_between(org.organisation_id, [calendar["id"]], start, end) == []
    assert await AuditEntry.count().where(AuditEntry.action.like("calendar.booking.%")) == 0

    outside = datetime.fromisoformat(at(1, 9)), datetime.fromisoformat(at(1, 10))
    async with db.write_transaction():
        try:
            await cal.book(org.organisation_id, calendar["id"], *outside)
        except cal.OutsideHours:  # the module asks its agent, then confirms
            booking = await cal.book(org.organisation_id, calendar["id"], *outside, allow_outside_hours=True)
        assert events("alpha") == []  # not committed yet
    assert events("alpha") == [BookingCreated(
        organisation_id=org.organisation_id, office_id=org.office_id, calendar_id=calendar["id"],
        booking_id=booking.id, start=outside[0], end=outside[1], outside_hours=True)]


async def test_booking_changes_are_in_the_audit_log(client, make_org, add_member):
    org, _, calendar = await office_with_alpha(client, make_org)
    _, email = await add_member(org, "basic")
    agent = await api_token(client, email)
    made = await client.post(BASE.format(org.office_id) + f"/{calendar['id']}/bookings", headers=agent,
                             json={"start": at(0, 9), "end": at(0, 10)})
    booking_id = made.json()["id"]
    await client.post(BASE.format(org.office_id) + f"/bookings/{booking_id}/move", headers=agent,
                      json={"start": at(2, 9), "end": at(2, 10)})
    await client.post(BASE.format(org.office_id) + f"/bookings/{booking_id}/cancel", headers=agent,
                      json={"reason": "Empêchement"})
    entries = await AuditEntry.select().where(AuditEntry.target == f"booking:{booking_id}").order_by(
        AuditEntry.id).output(load_json=True)
    assert [e["action"] for e in entries] == ["calendar.booking.created", "calendar.booking.moved",
                                              "calendar.booking.cancelled"]
    assert entries[1]["details"]["previous_start"] == datetime.fromisoformat(at(0, 9)).isoformat()
    await login(client, org.owner_email)
    page = await client.get("/config/audit")
    assert page.status_code == 200
    day = datetime.fromisoformat(at(0, 9)).strftime("%d/%m/%Y")
    assert f"Rendez-vous n° {booking_id} réservé le {day} de 09:00 à 10:00" in page.text
    assert f"Rendez-vous n° {booking_id} déplacé du {day} de 09:00 à 10:00 au" in page.text
    assert "annulé : Empêchement" in page.text
    assert page.text.count(email) >= 3  # the agent who did it
