"""Query plans on the national shape: 2 000 organisations sharing every tenant table, loaded with
`generate_series` then `ANALYZE`d, so the planner sees what it would see with 5 M bookings (one organisation
is 1/2 000 of each table). Every tenant-scoped query of the hot paths is EXPLAINed and must not read a tenant
table sequentially. PostgreSQL only (SQLite's planner has no statistics to mimic)."""

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from core import db
from core.audit import _ORGANISATION_LOG_SQL
from core.calendar.loading import bookings_query
from core.retention import RetentionSettings
from core.retention.purge import statements
from core.tenancy.services import _OFFICES_SQL

ORGS = 2000
TENANT_TABLES = {"core_office", "core_calendar", "core_calendar_booking", "core_outbox", "core_audit",
                 "core_member", "rdv_service_public_rdv"}
DAY = 86400
T0 = 1_767_225_600  # 2026-01-01 UTC

LOAD = [
    f"INSERT INTO core_organisation (id, name, slug) SELECT g, 'Org ' || g, 'org-' || g "
    f"FROM generate_series(1, {ORGS}) g",
    f"INSERT INTO core_office (id, organisation, name) SELECT g, g, 'Accueil ' || g FROM generate_series(1, {ORGS}) g",
    f"INSERT INTO core_user (id, email) SELECT g, 'u' || g || '@national.example' "
    f"FROM generate_series(1, {ORGS * 10}) g",
    f"INSERT INTO core_member (id, organisation, \"user\", display_name, role) SELECT g, 1 + g % {ORGS}, g, 'Agent', "
    f"'agent' FROM generate_series(1, {ORGS * 10}) g",
    f"INSERT INTO core_calendar (id, organisation, office, name, ics_token) SELECT g, 1 + g % {ORGS}, 1 + g % {ORGS}, "
    f"'Agent ' || g, md5(g::text) "
    f"FROM generate_series(1, {ORGS * 10}) g",
    f"INSERT INTO core_calendar_booking (organisation, office, calendar, start_ts, end_ts, history) "
    f"SELECT 1 + (g % {ORGS * 10}) % {ORGS}, 1 + (g % {ORGS * 10}) % {ORGS}, 1 + g % {ORGS * 10}, "
    f"{T0} + (g * 37) % (365 * {DAY}), {T0} + (g * 37) % (365 * {DAY}) + 900, "
    f"CASE WHEN g % 50 = 0 THEN '[{{\"event\": \"cancelled\"}}]' ELSE '[]' END::json FROM generate_series(1, 200000) g",
    f"INSERT INTO core_outbox (organisation, kind, idempotency_key, status, created_at, sent_at) "
    f"SELECT 1 + g % {ORGS}, 'email', 'k' || g, "
    f"CASE WHEN g % 100 = 0 THEN 'pending' WHEN g % 100 = 1 THEN 'dead' ELSE 'sent' END, "
    f"now() - (g % 365) * interval '1 day', now() - (g % 365) * interval '1 day' FROM generate_series(1, 100000) g",
    f"INSERT INTO core_audit (organisation, action, at) SELECT 1 + g % {ORGS}, 'calendar.booking.created', "
    f"now() - (g % 365) * interval '1 day' FROM generate_series(1, 100000) g",
    f"INSERT INTO rdv_service_public_service (id, organisation, office, name) SELECT g, g, g, 'Service' "
    f"FROM generate_series(1, {ORGS}) g",
    f"INSERT INTO rdv_service_public_motif (id, organisation, office, service, name) SELECT g, g, g, g, 'Motif' "
    f"FROM generate_series(1, {ORGS}) g",
    f"INSERT INTO rdv_service_public_rdv (organisation, office, motif, member, starts_at, ends_at, "
    f"citizen_name, token) "
    f"SELECT 1 + g % {ORGS}, 1 + g % {ORGS}, 1 + g % {ORGS}, g % 7, to_timestamp({T0} + (g * 37) % (365 * {DAY})), "
    f"to_timestamp({T0} + (g * 37) % (365 * {DAY}) + 900), 'Usager', md5(g::text) FROM generate_series(1, 100000) g",
]


def _hot_paths() -> list[tuple[str, str, tuple[Any, ...]]]:
    org, office, week = 1234, 1234, T0 + 150 * DAY
    calendars = ", ".join(str(org + ORGS * k) for k in range(5))
    booking_sql, booking_args = bookings_query(calendars, week, week + 31 * DAY)
    return [
        ("offices of an organisation (GET /api/v1/offices)", _OFFICES_SQL, (org,)),
        ("calendars of an office", "SELECT id FROM core_calendar WHERE organisation = {} AND office = {}",
         (org, office)),
        ("bookings of a month (public slot page)", booking_sql.replace("?", "{}"), booking_args),
        ("bookings of an office's week (planning)", "SELECT id, calendar, start_ts, end_ts FROM core_calendar_booking "
         "WHERE organisation = {} AND office = {} AND start_ts >= {} AND start_ts < {}",
         (org, office, week, week + 7 * DAY)),
        ("organisation's audit log", _ORGANISATION_LOG_SQL, (org, org, 200)),
        ("organisation's outbox list", "SELECT id, kind, status FROM core_outbox WHERE organisation = {} "
         "ORDER BY created_at DESC LIMIT 50", (org,)),
        ("rdv of an agent's week", "SELECT id FROM rdv_service_public_rdv WHERE organisation = {} AND office = {} "
         "AND member = {} AND starts_at >= to_timestamp({}) AND starts_at < to_timestamp({})",
         (org, office, 3, week, week + 7 * DAY)),
        ("rdv by its token", "SELECT id FROM rdv_service_public_rdv WHERE token = {} AND organisation = {}",
         ("abc", org)),
    ]


def _purges() -> list[tuple[str, str, tuple[Any, ...]]]:
    """The purge's batches in the steady state (the hourly job finds only the last hour past retention): the
    big tables must be reached by index, not read whole every hour."""
    now = datetime.now(UTC)
    config = RetentionSettings(outbox_sent_days=364, outbox_dead_days=364, webhook_days=364, audit_days=364,
                               calendar_history_days=(now - datetime.fromtimestamp(T0, UTC)).days)
    return [(f"purge {name}", sql, tuple(args))
            for name, sql, args in statements(config, now)]


def _sequential_scans(plan: dict[str, Any]) -> list[str]:
    found = [plan["Relation Name"]] if plan.get("Node Type") == "Seq Scan" and plan.get(
        "Relation Name") in TENANT_TABLES else []
    for child in plan.get("Plans", []):
        found += _sequential_scans(child)
    return found


@pytest.fixture
async def national_shape(client):
    if not db.is_postgres():
        pytest.skip("les statistiques du planificateur ne concernent que PostgreSQL")
    engine = db.engine()
    for statement in LOAD:
        await engine.run_ddl(statement)
    await engine.run_ddl("ANALYZE")


async def test_hot_path_reads_no_tenant_table_sequentially(national_shape):
    rows = await db.fetch("EXPLAIN (FORMAT JSON) SELECT id FROM core_calendar_booking WHERE label = {}", "x")
    assert _sequential_scans(json.loads(rows[0]["QUERY PLAN"])[0]["Plan"]) == ["core_calendar_booking"]  # detector
    failures = []
    for name, sql, args in _hot_paths() + _purges():
        rows = await db.fetch("EXPLAIN (FORMAT JSON) " + sql, *args)
        plan = json.loads(rows[0]["QUERY PLAN"])[0]["Plan"]
        if _sequential_scans(plan):
            failures.append(f"{name}: Seq Scan on {_sequential_scans(plan)}\n{json.dumps(plan)[:1500]}")
    assert not failures, "\n\n".join(failures)

