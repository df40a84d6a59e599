"""Schemathesis walks every operation of the OpenAPI document (core and every installed module) over real HTTP,
authenticated as the owner of a seeded organisation: no server error, and every answer (status, content type,
body) is one the document declares. Bounded and reproducible: a fixed seed and a fixed number of valid and of
invalid examples per operation; runs on the database chosen with --db."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import httpx
import hypothesis
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from core.testing.fixtures import api_token
from plugins.passerelle_examens.simulators import printel, rdvpermis
from tests.core.modules.helpers import order_modules
from tests.plugins.passerelle_examens.conftest import serve

SEED = 20261201  # fixed: the same cases on every run (and in CI)
EXAMPLES = {GenerationMode.POSITIVE: 10, GenerationMode.NEGATIVE: 7}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
SKIPPED = {("DELETE", "/api/v1/auth/token")}  # would revoke the token the run is authenticated with


@dataclass
class Report:
    operations: int = 0
    cases: int = 0
    failures: list[str] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)


def _fuzz(report: Report, operation: Any, mode: GenerationMode, count: int, base_url: str,
          headers: dict[str, str], path_parameters: dict[str, Any], session: requests.Session) -> None:
    """`count` cases of one operation in one mode; one report line per distinct failure, with its curl."""
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters or None)
    seen: set[str] = set()

    @hypothesis.settings(max_examples=count, deadline=None, database=None, phases=[Phase.generate],
                         suppress_health_check=list(HealthCheck))
    @hypothesis.seed(SEED)
    @hypothesis.given(case=strategy)
    def call(case: Any) -> None:
        report.cases += 1
        response = case.call(base_url=base_url, headers=headers, session=session, timeout=30)
        report.statuses[response.status_code] += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as error:  # FailureGroup is a BaseExceptionGroup
            key = f"{response.status_code}:{type(error).__name__}:{str(error)[:120]}"
            if key not in seen:
                seen.add(key)
                report.failures.append(f"{operation.method.upper()} {operation.path} [{mode.value}]: "
                                       f"{str(error)[:600]}\n    {case.as_curl_command()}")

    with contextlib.suppress(hypothesis.errors.Unsatisfiable):  # nothing invalid to build (no parameter)
        call()


def _run(raw_schema: dict[str, Any], base_url: str, headers: dict[str, str], fixed: dict[str, Any]) -> Report:
    """Every operation, module routes first (the cart operations may switch a module off afterwards)."""
    schema = schemathesis.openapi.from_dict(raw_schema)
    operations = [result.ok() for result in schema.get_all_operations()]
    operations.sort(key=lambda op: ("/m/" not in op.path, op.path, op.method))
    report = Report()
    session = requests.Session()  # one kept-alive connection for the whole run
    for operation in operations:
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue
        report.operations += 1
        names = {p.name for p in operation.path_parameters}
        for mode, count in EXAMPLES.items():
            _fuzz(report, operation, mode, count, base_url, headers,
                  {k: v for k, v in fixed.items() if k in names}, session)
    return report


async def _seed(client: Any, make_org: Any, exam_gateways: dict[str, str]) -> tuple[dict[str, str], dict[str, Any]]:
    """An organisation whose office has every healthy module active, a calendar with an opening and a booking;
    passerelle_examens talks to its two simulators (a provider that is down would rightly answer 503)."""
    org = await make_org("Mairie Fuzz")
    headers = await api_token(client, org.owner_email)
    modules = [m["id"] for m in (await client.get("/api/v1/modules", headers=headers)).json() if m["status"] == "ok"]
    if modules:
        await order_modules(client, headers, *[(org.office_id, m, "activate") for m in modules])
    if "passerelle_examens" in modules:
        saved = await client.put(f"/api/v1/offices/{org.office_id}/m/passerelle_examens/settings", headers=headers,
                                 json=exam_gateways)
        assert saved.status_code == 200, saved.text
    base = f"/api/v1/offices/{org.office_id}/calendars"
    calendar = (await client.post(base, headers=headers, json={"name": "Accueil", "capacity": 2})).json()
    monday = date.today() + timedelta(days=7 - date.today().weekday())
    rule = await client.post(f"{base}/{calendar['id']}/rules", headers=headers, json={
        "start": "09:00", "end": "12:00", "first_date": monday.isoformat(), "byday": "MO,TU,WE,TH,FR"})
    assert rule.status_code == 201, rule.text
    booked = await client.post(f"{base}/{calendar['id']}/bookings", headers=headers, json={
        "start": f"{monday.isoformat()}T09:00:00+01:00", "end": f"{monday.isoformat()}T09:30:00+01:00"})
    assert booked.status_code == 201, booked.text
    slug = (await client.get("/api/v1/organisation", headers=headers)).json()["slug"]
    return headers, {"office_id": org.office_id, "calendar_id": calendar["id"], "slug": slug}


@pytest.fixture
def exam_gateways() -> Iterator[dict[str, str]]:
    """The RdvPermis and Printel simulators on loopback ports, as the office's passerelle_examens settings."""
    with serve(rdvpermis.create_app(rdvpermis.State())) as rdv_url, \
            serve(printel.create_app(printel.State())) as printel_url:
        yield {"base_url": rdv_url, "client_id": "fuzz", "client_secret": "secret-fuzz", "printel_url": printel_url,
               "printel_login": "fuzz", "printel_password": "printel-fuzz"}


async def test_every_operation_answers_as_the_schema_declares(live_server, make_org, exam_gateways):
    async with httpx.AsyncClient(base_url=live_server) as client:
        headers, fixed = await _seed(client, make_org, exam_gateways)
        raw_schema = (await client.get("/schema/openapi.json")).json()
    started = time.monotonic()
    report = await asyncio.to_thread(_run, raw_schema, live_server, headers, fixed)
    elapsed = time.monotonic() - started
    print(f"\nschemathesis: {report.operations} operations, {report.cases} cases, "
          f"{len(report.failures)} distinct failures, {elapsed:.0f} s; statuses {sorted(report.statuses.items())}")
    assert report.statuses[200] + report.statuses[201] + report.statuses[204] > report.cases // 5  # reached logic
    assert report.operations >= 70 and report.cases >= report.operations * 10
    assert report.failures == [], "\n\n".join(report.failures)
