"""/metrics: Prometheus text behind `Authorization: Bearer <SOCLE_METRICS_TOKEN>` (404 otherwise), with request
latency by route template and status, bookings made and refused, job failures and the outbox queue."""

import dataclasses
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from prometheus_client import REGISTRY

from core import calendar as cal
from core.jobs.outbox import enqueue
from core.testing.fixtures import api_token, deliver_outbox
from tests.core.calendar.factories import weekly_calendar

TOKEN = "jeton-de-supervision-assez-long"
SCRAPE = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def settings(settings):
    return dataclasses.replace(settings, metrics_token=TOKEN)


def sample(text: str, name: str, **labels: str) -> float | None:
    """The value of one sample in an exposition text (None when absent)."""
    for line in text.splitlines():
        head, _, value = line.rpartition(" ")
        if (head == name and not labels) or (head.startswith(name + "{") and all(
                f'{k}="{v}"' in head for k, v in labels.items())):
            return float(value)
    return None


async def test_wrong_or_missing_token_is_a_404(client):
    assert (await client.get("/metrics")).status_code == 404
    assert (await client.get("/metrics", headers={"Authorization": "Bearer autre-chose"})).status_code == 404
    response = await client.get("/metrics", headers=SCRAPE)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    assert "set-cookie" not in response.headers


async def test_no_token_set_means_no_metrics_even_with_an_empty_bearer(client, app):
    app.state.settings = dataclasses.replace(app.state.settings, metrics_token="")
    assert (await client.get("/metrics", headers={"Authorization": "Bearer "})).status_code == 404


async def test_request_latency_by_route_template_and_status(client, make_org):
    org = await make_org()
    headers = await api_token(client, org.owner_email)
    assert (await client.get("/api/v1/offices", headers=headers)).status_code == 200
    assert (await client.get("/api/v1/orders/999999", headers=headers)).status_code == 404
    text = (await client.get("/metrics", headers=SCRAPE)).text
    count = "socle_request_duration_seconds_count"
    assert sample(text, count, path="/api/v1/offices", method="GET", status_code="200") >= 1
    assert sample(text, count, path="/api/v1/orders/{order_id}", status_code="404") >= 1
    assert sample(text, "socle_request_duration_seconds_bucket", path="/api/v1/offices", le="+Inf") >= 1
    assert 'path="/metrics"' not in text and 'path="/healthz"' not in text  # the probes are not counted


async def test_bookings_made_and_refused(client, make_org):
    before = {o: REGISTRY.get_sample_value("socle_bookings_total", {"outcome": o}) or 0 for o in ("made", "refused")}
    org = await make_org()
    agenda = await weekly_calendar(org, first=date(2026, 3, 2))
    start, end = datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("Europe/Paris")), datetime(2026, 3, 2, 9, 30,
                                                                                  tzinfo=ZoneInfo("Europe/Paris"))
    await cal.book(org.organisation_id, agenda.id, start, end)
    with pytest.raises(cal.SlotTaken):
        await cal.book(org.organisation_id, agenda.id, start, end)
    text = (await client.get("/metrics", headers=SCRAPE)).text
    assert sample(text, "socle_bookings_total", outcome="made") == before["made"] + 1
    assert sample(text, "socle_bookings_total", outcome="refused") == before["refused"] + 1


async def test_outbox_queue_and_job_failures(client, settings):
    empty = (await client.get("/metrics", headers=SCRAPE)).text
    assert sample(empty, "socle_outbox_messages", status="pending") == 0
    assert sample(empty, "socle_outbox_oldest_age_seconds") == 0
    failures = REGISTRY.get_sample_value("socle_job_failures_total", {"kind": "sans-gestionnaire", "final": "no"})
    await enqueue("sans-gestionnaire", {})
    await enqueue("sans-gestionnaire", {})
    text = (await client.get("/metrics", headers=SCRAPE)).text
    assert sample(text, "socle_outbox_messages", status="pending") == 2
    assert sample(text, "socle_outbox_oldest_age_seconds") >= 0
    await deliver_outbox(settings)  # no handler for that kind: both fail and wait for a retry
    text = (await client.get("/metrics", headers=SCRAPE)).text
    assert sample(text, "socle_outbox_retrying_messages") == 2
    assert sample(text, "socle_job_failures_total", kind="sans-gestionnaire", final="no") == (failures or 0) + 2
