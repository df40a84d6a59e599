"""La Poste planning sends each candidate a French convocation with an ICS invitation (through the outbox
and a real loopback SMTP server); supervised sessions get activation codes and a printable PDF sheet."""

import io
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pypdf
import pytest

from plugins.certification_robert.services import stock
from plugins.certification_robert.services.common import Ctx
from plugins.certification_robert.tables import Assignment
from tests.plugins.certification_robert.test_stock import ready

DAY = date.today() + timedelta(days=12)
ADDRESS = "Bureau de poste Lyon Bellecour, 10 place Antonin Poncet, 69002 Lyon"


@pytest.fixture
def smtp_settings(smtp_server):
    from core.testing.fixtures import smtp_to

    return smtp_to(smtp_server)


@pytest.fixture
def mails(app, settings, smtp_server):
    import dataclasses

    from core import jobs
    from core.config import WorkerSettings

    fast = dataclasses.replace(settings, worker=WorkerSettings(backoff_seconds=0, max_attempts=3, poll_seconds=0.05))

    async def received(address: str) -> list[Any]:
        await jobs.Worker(fast, app.state.jobs).run(until_idle=True)  # the module's jobs too (the quote)
        return [m for m in smtp_server.messages if address in str(m["To"])]

    return received


def parts(message: Any) -> dict[str, str]:
    found = {}
    for part in message.walk():
        if not part.is_multipart():
            payload = part.get_payload(decode=True)
            found[part.get_content_type()] = payload.decode(part.get_content_charset() or "utf-8")
    return found


async def test_la_poste_convocation_email_with_invitation(centre, mails) -> None:
    c = await centre()
    ids = await ready(c, 2)
    await stock.add(Ctx(c.org.organisation_id, c.org.office_id), "laposte", 5)
    r = await c.call("POST", "/assignments", json={"kind": "laposte", "planned_on": DAY.isoformat(),
                                                   "candidate_ids": ids})
    assert r.status_code == 422 and {e["field"] for e in r.json()["errors"]} == {"starts_at", "address"}
    r = await c.call("POST", "/assignments", json={"kind": "laposte", "planned_on": DAY.isoformat(),
                                                   "starts_at": "14:30", "address": ADDRESS, "candidate_ids": ids})
    assert r.status_code == 201, r.text
    [mail] = await mails("c1@clr.com")
    assert "Convocation à la certification Le Robert" in str(mail["Subject"])
    body = parts(mail)
    text = body["text/plain"]
    assert ADDRESS in text and f"{DAY.day}" in text and "14:30" in text
    assert "identifiant : c1@clr.com" in text and "mot de passe" in text and "pièce d'identité" in text
    assert "Bellecour" in body["text/html"]
    ics = icalendar.Calendar.from_ical(body["text/calendar"])
    [vevent] = [e for e in ics.walk("VEVENT")]
    assert ics["METHOD"] == "REQUEST" and str(vevent["LOCATION"]) == ADDRESS
    start = vevent["DTSTART"].dt.astimezone(ZoneInfo("Europe/Paris"))
    assert (start.date(), start.strftime("%H:%M")) == (DAY, "14:30")
    assert "c1@clr.com" in str(vevent["ATTENDEE"])
    assert len(await mails("c0@clr.com")) == 1


async def test_supervised_session_codes_and_pdf_sheet(centre) -> None:
    c = await centre()
    ids = await ready(c, 3)
    await stock.add(Ctx(c.org.organisation_id, c.org.office_id), "centre", 3)
    r = await c.call("POST", "/assignments", json={"kind": "centre", "planned_on": DAY.isoformat(),
                                                   "candidate_ids": ids})
    assert r.status_code == 201, r.text
    session = r.json()["session_id"]
    codes = [row["code"] for row in await Assignment.select(Assignment.code).where(Assignment.session == session)]
    assert len(set(codes)) == 3 and all(len(code) == 14 for code in codes)
    r = await c.call("GET", f"/sessions/{session}/codes.pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(r.content)).pages)
    assert all(code in text for code in codes) and "Codes d'activation" in text and "c2@clr.com" in text
    [listed] = (await c.call("GET", "/sessions")).json()
    assert listed["id"] == session and listed["candidates"] == 3 and listed["codes_pdf"] is True
    other = await centre("École Voltaire")
    assert (await other.call("GET", "/sessions")).json() == []
    assert (await other.call("GET", f"/sessions/{session}/codes.pdf")).status_code == 404
    assert (await c.call("GET", f"/sessions/{session + 999}/codes.pdf")).status_code == 404
