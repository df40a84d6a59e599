"""`calendar.relabel` (API 1.4): a booking's title and notes change, its times do not; the history records it
(the ICS SEQUENCE grows); a cancelled booking may be relabelled; another organisation's booking is a 404; a
module's booking is refused through the core API."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from core import calendar as cal
from core.calendar.ownership import ApiCall
from core.calendar.tables import Booking
from core.errors import NotFound
from core.tenancy.roles import Role
from tests.core.calendar.factories import weekly_calendar

PARIS = ZoneInfo("Europe/Paris")


async def test_relabel_keeps_the_times_and_records_the_change(make_org):
    org = await make_org()
    other = await make_org("Autre organisation")
    agenda = await weekly_calendar(org, start="09:00", end="12:00")
    start, end = datetime(2026, 3, 2, 9, tzinfo=PARIS), datetime(2026, 3, 2, 10, tzinfo=PARIS)
    booking = await cal.book(org.organisation_id, agenda.id, start, end, label="Examen", source_plugin="mod")
    renamed = await cal.relabel(org.organisation_id, booking.id, "  Examen — Admis  ", notes="Admis", by=None)
    assert renamed.label == "Examen — Admis" and (renamed.start, renamed.end) == (start, end)
    assert [h.action for h in renamed.history] == ["booked", "relabelled"]
    row = await Booking.objects().where(Booking.id == booking.id).first()
    assert row.notes == "Admis" and row.label == "Examen — Admis"
    await cal.cancel(org.organisation_id, booking.id)
    late = await cal.relabel(org.organisation_id, booking.id, "x" * 300)
    assert late.status == "cancelled" and len(late.label) == 200
    assert (await Booking.objects().where(Booking.id == booking.id).first()).notes == "Admis"  # notes=None: kept
    with pytest.raises(NotFound):
        await cal.relabel(other.organisation_id, booking.id, "Intrus")
    with pytest.raises(Exception) as refused:
        await cal.relabel(org.organisation_id, booking.id, "Par l'API", via=ApiCall(Role.owner, frozenset({"mod"})))
    assert refused.value.status_code == 403
