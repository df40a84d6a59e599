"""Retention purge: nothing younger than its retention goes, legal documents stay (their own keep_until), the
periodic job is registered, and bookings written during a purge are not held up by it (figure printed)."""

import asyncio
import json
import time
from datetime import UTC, date, datetime, timedelta

import pytest

from core import audit, db
from core.auth.tables import AuditEntry
from core.calendar.tables import Booking, Calendar
from core.documents.tables import Document
from core.jobs import enqueue
from core.jobs.tables import DEAD, PENDING, SENT, OutboxMessage
from core.retention import RetentionSettings, purge_all

NOW = datetime.now(UTC)


def _ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


async def _message(org_id, kind, status, days, key):
    await OutboxMessage(organisation=org_id, kind=kind, idempotency_key=key, status=status,
                        created_at=_ago(days), sent_at=_ago(days) if status == SENT else None).save()


async def test_purge_keeps_everything_younger_than_its_retention(client, make_org):
    org = await make_org("Mairie de Rétention")
    o = org.organisation_id
    await _message(o, "email", SENT, 91, "sent-old")
    await _message(o, "email", SENT, 89, "sent-young")
    await _message(o, "email", DEAD, 181, "dead-old")
    await _message(o, "email", DEAD, 179, "dead-young")
    await _message(o, "email", PENDING, 400, "pending-old")  # never purged, however old
    await _message(o, "webhook", SENT, 31, "hook-old")
    await _message(o, "webhook", DEAD, 29, "hook-young")
    await AuditEntry(organisation=o, action="test.old", at=_ago(366)).save()
    await AuditEntry(organisation=o, action="test.young", at=_ago(364)).save()
    calendar = Calendar(organisation=o, office=org.office_id, name="Guichet 1")
    await calendar.save()
    history = json.dumps([{"event": "cancelled"}])
    for label, days in (("ancien", 731), ("récent", 729)):
        end = int(_ago(days).timestamp())
        await Booking(organisation=o, office=org.office_id, calendar=calendar.id, start_ts=end - 900, end_ts=end,
                      status="cancelled", label=label, history=history).save()
    await Document(organisation=o, module="core", kind="facture", title="Facture 2015", filename="f.pdf",
                   content_type="application/pdf", sha256="0" * 64, storage_key="retention-test",
                   keep_until=date.today() + timedelta(days=3650)).save()

    report = await purge_all(RetentionSettings(batch_size=2), now=NOW)

    keys = {row["idempotency_key"] for row in await OutboxMessage.select(OutboxMessage.idempotency_key)}
    assert keys == {"sent-young", "dead-young", "pending-old", "hook-young"}
    assert [row["action"] for row in await AuditEntry.select(AuditEntry.action)
            .where(AuditEntry.action.like("test.%"))] == ["test.young"]
    bookings = {row["label"]: row["history"] for row in await Booking.select(Booking.label, Booking.history)}
    assert json.loads(bookings["ancien"]) == [] and json.loads(bookings["récent"]) == [{"event": "cancelled"}]
    assert await Document.count() == 1  # legal documents follow their own keep_until
    assert report.rows["outbox_sent"] == 1 and report.rows["outbox_dead"] == 1
    assert report.rows["webhook_deliveries"] == 1 and report.rows["audit"] >= 1
    assert report.rows["calendar_history"] == 1
    assert (await purge_all(RetentionSettings(batch_size=2), now=NOW)).total == 0  # idempotent


async def test_zero_days_keeps_forever(client, make_org):
    org = await make_org("Mairie Patrimoine")
    await AuditEntry(organisation=org.organisation_id, action="test.ancient", at=_ago(3000)).save()
    await purge_all(RetentionSettings(audit_days=0), now=NOW)
    assert await AuditEntry.exists().where(AuditEntry.action == "test.ancient")


@pytest.mark.nodb
def test_settings_come_from_the_environment():
    settings = RetentionSettings.from_env({"SOCLE_RETENTION_AUDIT_DAYS": "180", "SOCLE_RETENTION_BATCH_SIZE": "50"})
    assert settings.audit_days == 180 and settings.batch_size == 50 and settings.outbox_sent_days == 90
    assert settings.batch_pause_ms == 0
    assert RetentionSettings.from_env({"SOCLE_RETENTION_BATCH_PAUSE_MS": "5"}).batch_pause_ms == 5
    assert RetentionSettings.from_env({"SOCLE_RETENTION_BATCH_PAUSE_MS": "-3"}).batch_pause_ms == 0
    with pytest.raises(ValueError, match="négative"):
        RetentionSettings.from_env({"SOCLE_RETENTION_OUTBOX_SENT_DAYS": "-1"})


async def test_a_purge_with_pauses_between_batches_still_purges_everything(client, make_org):
    org = await make_org("Mairie Patiente")
    for n in range(5):
        await _message(org.organisation_id, "email", SENT, 100, f"paused-{n}")
    report = await purge_all(RetentionSettings(batch_size=2, batch_pause_ms=1), now=NOW)
    assert report.rows["outbox_sent"] == 5 and report.rows.get("outbox_dead", 0) == 0
    assert not await OutboxMessage.exists().where(OutboxMessage.idempotency_key.like("paused-%"))


async def test_the_purge_is_a_periodic_job(client, app):
    assert "core.retention.purge" in app.state.jobs.periodic


async def test_booking_writes_are_not_held_up_by_a_purge(client, make_org):
    """A booking's own writes (audit entry + outbox message, organisation row locked) run while a purge
    deletes old rows batch by batch; the wait is printed, not asserted (a shared machine's timings)."""
    org = await make_org("Mairie Pressée")
    o = org.organisation_id
    old = _ago(400)
    rows = [OutboxMessage(organisation=o, kind="email", idempotency_key=f"old-{i}", status=SENT, created_at=old,
                          sent_at=old) for i in range(3000)]
    audits = [AuditEntry(organisation=o, action="test.bulk", at=old) for _ in range(3000)]
    for start in range(0, 3000, 500):  # PostgreSQL takes at most 32 767 parameters a statement
        await OutboxMessage.insert(*rows[start:start + 500])
        await AuditEntry.insert(*audits[start:start + 500])
    from core.tenancy.tables import Organisation

    waits: list[float] = []

    async def bookings() -> None:
        for i in range(40):
            started = time.perf_counter()
            async with db.write_transaction():
                await db.lock_row(Organisation, o)
                await audit.record("calendar.booking.created", organisation_id=o, target=f"booking:{i}")
                await enqueue("email", {"i": i}, key=f"booking-{i}", organisation_id=o)
            waits.append((time.perf_counter() - started) * 1000)
            await asyncio.sleep(0)

    lock_waits: list[int] = []

    async def watch() -> None:  # PostgreSQL: does any backend ever wait on a lock (the purge's)?
        while not purge.done():
            rows = await db.fetch("SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                  "AND datname = current_database()")
            lock_waits.append(int(rows[0]["n"]))
            await asyncio.sleep(0)

    purge = asyncio.create_task(purge_all(RetentionSettings(batch_size=200), now=NOW))
    watcher = asyncio.create_task(watch()) if db.is_postgres() else None
    await bookings()
    report = await purge
    if watcher is not None:
        await watcher
        # on PostgreSQL the purge locks only the rows it deletes: nobody queues behind it (SQLite serialises
        # every writer by design, so there a booking does wait for the batch in progress)
        assert lock_waits and max(lock_waits) == 0, lock_waits
    waits.sort()
    print(f"\npurge {report.total} rows in {report.seconds:.2f} s ({report.total / report.seconds:.0f} rows/s); "
          f"booking writes during it: p50 {waits[len(waits) // 2]:.1f} ms, p99 {waits[-1]:.1f} ms")
    assert report.rows["outbox_sent"] == 3000 and report.rows["audit"] >= 3000
    assert await OutboxMessage.count().where(OutboxMessage.idempotency_key.like("booking-%")) == 40
