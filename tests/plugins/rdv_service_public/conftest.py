"""An organisation with rdv_service_public active in its office, and shortcuts to drive its API."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest

from core.testing.fixtures import api_token
from tests.core.modules.helpers import order_modules


@pytest.fixture
def socle_plugin() -> str:
    return "rdv_service_public"


@dataclass
class Town:
    org: Any
    headers: dict[str, str]
    client: Any

    @property
    def base(self) -> str:
        return f"/api/v1/offices/{self.org.office_id}/m/rdv_service_public"

    async def call(self, method: str, path: str, headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
        return await self.client.request(method, self.base + path, headers=headers or self.headers, **kwargs)

    async def make(self, path: str, payload: dict[str, Any], headers: dict[str, str] | None = None) -> dict:
        response = await self.call("POST", path, headers, json=payload)
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]


def next_weekday(weekday: int, weeks_ahead: int = 1) -> date:
    """A date `weeks_ahead` weeks from now falling on `weekday` (0 = lundi), a week later while it is a public
    holiday (agendas are closed on them)."""
    from core.calendar.holidays import french_holidays

    today = date.today()
    day = today + timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks_ahead)
    while day in french_holidays(day.year, alsace_moselle=True):
        day += timedelta(days=7)
    return day


@pytest.fixture
def town(client, make_org):
    async def build(name: str = "Mairie de Saint-Vallier") -> Town:
        org = await make_org(name)
        headers = await api_token(client, org.owner_email)
        await order_modules(client, headers, (org.office_id, "rdv_service_public", "activate"))
        return Town(org, headers, client)

    return build


@pytest.fixture
async def configured(town, add_member, client):
    """A town with a service, a motif (30 min), a lieu, a basic agent in the service with a Monday plage
    9:00-12:00, and the owner's headers."""
    t = await town()
    service = await t.make("/services", {"name": "État civil"})
    motif = await t.make("/motifs", {"name": "Carte d'identité", "service_id": service["id"],
                                     "duration_minutes": 30, "online": True})
    lieu = await t.make("/lieux", {"name": "Mairie", "address": "1 place de la Mairie, 26240 Saint-Vallier"})
    agent_id, agent_email = await add_member(t.org, "basic")
    response = await t.call("PUT", f"/agents/{agent_id}/services", json={"service_ids": [service["id"]]})
    assert response.status_code == 200, response.text
    monday = next_weekday(0)
    plage = await t.make("/plages", {"member_id": agent_id, "weekdays": [0], "first_day": monday.isoformat(),
                                     "start_time": "09:00", "end_time": "12:00", "lieu_id": lieu["id"],
                                     "motif_ids": [motif["id"]]})
    agent_headers = await api_token(client, agent_email)
    return {"town": t, "service": service, "motif": motif, "lieu": lieu, "agent_id": agent_id,
            "agent_headers": agent_headers, "monday": monday, "plage": plage}



@pytest.fixture
def smtp_settings(smtp_server):
    from core.testing.fixtures import smtp_to

    return smtp_to(smtp_server)


@pytest.fixture
def mails(settings, smtp_server):
    """`await mails("a@b.c")`: run the outbox worker until idle, then the messages received for that address."""
    import dataclasses

    from core import jobs
    from core.config import WorkerSettings

    worker_settings = dataclasses.replace(settings, worker=WorkerSettings(backoff_seconds=0, max_attempts=3,
                                                                          poll_seconds=0.05))

    async def received(address: str) -> list[Any]:
        await jobs.Worker(worker_settings, jobs.default_registry).run(until_idle=True)
        return [m for m in smtp_server.messages if address in str(m["To"])]

    return received
