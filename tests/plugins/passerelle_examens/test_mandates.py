"""Mandates against the RdvPermis simulator on a loopback port: « Demander le mandat » on an élève (requested,
the link emailed to the student), the student confirms through the link → « Mandat confirmé » once the page is
viewed (sync on view); « Révoquer le mandat »; asking again; a refusal picked up by the periodic job without any
view; `mandate_status` for booking; the provider down → a French message and nothing recorded; another
organisation's student → 404."""

import json
import re

import httpx
from markupsafe import escape

from core.jobs.tables import OutboxMessage
from core.testing.fixtures import login, submit
from plugins.passerelle_examens.services.common import Ctx
from plugins.passerelle_examens.services.mandates import mandate_status, sync_all
from plugins.passerelle_examens.simulators.rdvpermis import sign
from tests.plugins.passerelle_examens.conftest import STUDENT


async def _setup(client, school, url: str):
    s = await school("Auto-école des Tilleuls")
    saved = await client.put(s.api("/settings"), headers=s.headers,
                             json={"base_url": url, "client_id": "ae", "client_secret": "secret-ae"})
    assert saved.status_code == 200, saved.text
    created = await client.post(s.api("/students"), headers=s.headers, json=STUDENT)
    assert created.status_code == 201, created.text
    return s, created.json()["id"]


async def _answer(link: str, decision: str) -> str:
    async with httpx.AsyncClient() as student:
        page = await student.get(link)
        assert page.status_code == 200 and "Accepter le mandat" in page.text
        jeton = re.search(r'name="jeton" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        answer = await student.post(link.split("?")[0] + "/reponse", data={"jeton": jeton, "decision": decision})
        assert answer.status_code == 200, answer.text
        return answer.text


async def test_request_confirm_revoke_and_ask_again(school, client, rdvpermis) -> None:
    url, state = rdvpermis
    s, student_id = await _setup(client, school, url)
    c = Ctx(organisation_id=s.org.organisation_id, office_id=s.org.office_id)
    await login(client, s.org.owner_email)
    page = s.page(f"/eleves/{student_id}/mandat")
    first = await client.get(page)
    assert first.status_code == 200 and "Aucun mandat" in first.text and "Demander le mandat" in first.text
    asked = await submit(client, page, page + "/demander", {})
    assert asked.status_code == 200 and str(escape("Mandat demandé : l'élève reçoit le lien")) in asked.text
    assert state.mandates["123456789012"]["state"] == "requested"
    link = state.mandates["123456789012"]["confirm_url"]
    mails = await OutboxMessage.select(OutboxMessage.payload).where(OutboxMessage.kind == "email")
    assert any(link in str(m["payload"]) for m in mails)  # the student gets the link by email
    twice = await submit(client, page, page + "/demander", {})
    assert "Un mandat est déjà en cours" in twice.text and len(state.mandates) == 1
    assert await mandate_status(c, student_id) == "requested"
    assert "Vous avez accepté le mandat." in await _answer(link, "accepter")
    assert await mandate_status(c, student_id) == "requested"  # not synced yet…
    viewed = await client.get(page)
    assert 'data-state="confirmed">Mandat confirmé<' in viewed.text  # …synced on view
    assert await mandate_status(c, student_id) == "confirmed"
    listing = await client.get(s.page("/eleves"))
    assert "Mandat confirmé" in listing.text
    revoked = await submit(client, page, page + "/revoquer", {})
    assert "Mandat révoqué." in revoked.text and state.mandates["123456789012"]["state"] == "revoked"
    assert await mandate_status(c, student_id) == "revoked"
    again = (await client.post(s.api(f"/students/{student_id}/mandate"), headers=s.headers)).json()
    assert again["etat"] == "requested" and again["lien_eleve"] != link


async def test_a_refusal_is_picked_up_by_the_job_and_faults_record_nothing(school, client, rdvpermis) -> None:
    url, state = rdvpermis
    s, student_id = await _setup(client, school, url)
    c = Ctx(organisation_id=s.org.organisation_id, office_id=s.org.office_id)
    state.faults.errors_5xx = 3  # every attempt fails: French message, nothing stored
    down = await client.post(s.api(f"/students/{student_id}/mandate"), headers=s.headers)
    assert down.status_code == 503 and "RdvPermis est momentanément indisponible" in down.text
    assert await mandate_status(c, student_id) == "none" and state.mandates == {}
    asked = (await client.post(s.api(f"/students/{student_id}/mandate"), headers=s.headers)).json()
    assert asked["etat"] == "requested"
    assert "Vous avez refusé le mandat." in await _answer(asked["lien_eleve"], "refuser")
    await sync_all({})  # the periodic job, no page viewed
    assert await mandate_status(c, student_id) == "refused"
    nothing = await client.post(s.api(f"/students/{student_id}/mandate/revoke"), headers=s.headers)
    assert nothing.status_code == 409 and "pas de mandat en cours" in nothing.text
    other = await school("Auto-école Voltaire")
    for call in (client.get(other.api(f"/students/{student_id}/mandate"), headers=other.headers),
                 client.post(other.api(f"/students/{student_id}/mandate"), headers=other.headers)):
        assert (await call).status_code == 404
    assert await mandate_status(Ctx(other.org.organisation_id, other.org.office_id), student_id) == "none"


async def test_rdvpermis_signed_callback_updates_the_mandate(school, client, rdvpermis) -> None:
    url, state = rdvpermis
    s, student_id = await _setup(client, school, url)
    c = Ctx(organisation_id=s.org.organisation_id, office_id=s.org.office_id)
    asked = (await client.post(s.api(f"/students/{student_id}/mandate"), headers=s.headers)).json()
    callback = f"/public/offices/{s.org.office_id}/m/passerelle_examens/rdvpermis/mandats"
    await _answer(asked["lien_eleve"], "accepter")
    assert state.callbacks[0][0] == "http://testserver.local" + callback  # the simulator called back (unreachable)
    mandate = state.mandates["123456789012"]
    body = json.dumps({"mandate_id": mandate["mandate_id"], "neph": "123456789012", "state": "confirmed"}).encode()
    forged = await client.post(callback, content=body, headers={"x-rdvpermis-signature": sign("secret-autre", body)})
    assert forged.status_code == 403 and await mandate_status(c, student_id) == "requested"
    signed = {"x-rdvpermis-signature": sign("secret-ae", body), "content-type": "application/json"}
    accepted = await client.post(callback, content=body, headers=signed)
    assert accepted.status_code == 200 and accepted.json() == {"etat": "confirmed"}
    assert await mandate_status(c, student_id) == "confirmed"  # without any view or job
    other = await school("Auto-école Voltaire")  # the same notification at another office: unknown there
    elsewhere = f"/public/offices/{other.org.office_id}/m/passerelle_examens/rdvpermis/mandats"
    await client.put(other.api("/settings"), headers=other.headers,
                     json={"client_id": "ae", "client_secret": "secret-ae"})
    assert (await client.post(elsewhere, content=body, headers=signed)).status_code == 404
