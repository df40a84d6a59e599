"""Printel: « Places attribuées » captures the places allocated to the school from the Printel simulator on a
loopback port (lieu, date, nombre de places, clé, numéro); capturing again never duplicates a lot (known by its
numéro); a new lot is added alone, by the button or by the periodic job. Faults give French messages and record
nothing; retries are bounded; the office's Printel password is stored sealed and never shown back."""

import httpx

from core import db
from core.testing.fixtures import login, submit
from plugins.passerelle_examens.providers.base import ExamProviderError
from plugins.passerelle_examens.providers.printel import PrintelProvider
from plugins.passerelle_examens.services.places import capture_all
from plugins.passerelle_examens.simulators.printel import allocated_places

CREDENTIALS = {"printel_login": "tilleuls", "printel_password": "printel-tilleuls"}


async def _configure(client, s, url: str, **extra: str) -> None:
    saved = await client.put(s.api("/settings"), headers=s.headers,
                             json={"printel_url": url, **CREDENTIALS, **extra})
    assert saved.status_code == 200, saved.text


async def test_capture_is_shown_and_never_duplicated(school, client, printel) -> None:
    url, _ = printel
    s = await school("Auto-école des Tilleuls")
    await _configure(client, s, url)
    await login(client, s.org.owner_email)
    expected = allocated_places("tilleuls")
    first = await submit(client, s.page("/places"), s.page("/places/capturer"), {})
    assert first.status_code == 200, first.text
    assert f"{len(expected)} lot(s) de places enregistré(s)." in first.text
    assert expected[0]["numero"] in first.text and expected[0]["cle"] in first.text
    again = await submit(client, s.page("/places"), s.page("/places/capturer"), {})
    assert "Aucune nouvelle place" in again.text
    async with httpx.AsyncClient(base_url=url) as sim:  # Printel allocates one more lot
        await sim.post("/_places", json={"login": "tilleuls", "places": [
            {"numero": "PTNEW01", "cle": "ABCD1234", "lieu": "Centre d'examen de Bron", "date": "2027-01-11",
             "nombre_places": 2}]})
    await capture_all({})  # the periodic job picks the new lot up
    api = (await client.post(s.api("/places/capture"), headers=s.headers)).json()
    assert (api["nouvelles"], api["deja_enregistrees"]) == (0, len(expected) + 1)
    rows = (await client.get(s.api("/places"), headers=s.headers)).json()
    assert len(rows) == len(expected) + 1 and len({r["numero"] for r in rows}) == len(rows)
    new = next(r for r in rows if r["numero"] == "PTNEW01")
    assert (new["lieu"], new["date"], new["nombre_places"], new["cle"]) == (
        "Centre d'examen de Bron", "2027-01-11", 2, "ABCD1234")
    other = await school("Auto-école Voltaire")  # another organisation sees none of them
    assert (await client.get(other.api("/places"), headers=other.headers)).json() == []
    shown = (await client.get(s.api("/settings"), headers=s.headers)).text
    assert "printel-tilleuls" not in shown  # never shown back…
    stored = await db.fetch("SELECT data FROM core_plugin_setting WHERE plugin = 'passerelle_examens'")
    assert stored and all("printel-tilleuls" not in row["data"] for row in stored)  # …and stored sealed


async def test_faults_give_french_messages_and_record_nothing(school, client, printel) -> None:
    url, state = printel
    s = await school()
    await _configure(client, s, url, printel_password="faux")
    refused = await client.post(s.api("/places/capture"), headers=s.headers)
    assert refused.status_code == 503 and "identifiants Printel de ce bureau sont refusés" in refused.text
    await _configure(client, s, url)
    state.faults.errors_5xx = 3  # three attempts, all 503: bounded retries, then the message
    down = await client.post(s.api("/places/capture"), headers=s.headers)
    assert down.status_code == 503 and "Printel est momentanément indisponible" in down.text
    await login(client, s.org.owner_email)
    state.faults.expire_tokens = True
    expired = await submit(client, s.page("/places"), s.page("/places/capturer"), {})
    assert expired.status_code == 503 and "La connexion à Printel a expiré" in expired.text
    assert (await client.get(s.api("/places"), headers=s.headers)).json() == []
    state.faults.expire_tokens, state.faults.errors_5xx = False, 1  # one 503 then fine: retried
    assert (await client.post(s.api("/places/capture"), headers=s.headers)).json()["nouvelles"] > 0


async def test_client_retries_a_429_and_times_out_in_french(printel) -> None:
    url, state = printel
    state.faults.rate_limited = 1  # 429 with Retry-After: 1, then the answer
    provider = PrintelProvider(url, "tilleuls", "printel-tilleuls", timeout=0.3)
    try:
        calls = state.calls
        assert len(await provider.capture()) == len(allocated_places("tilleuls"))
        assert state.calls - calls == 3  # auth, 429, retry
        state.faults.timeout, state.faults.hang_seconds = 1, 1.0
        try:
            await provider.capture()
        except ExamProviderError as error:
            assert error.code == "timeout" and "Printel met trop de temps à répondre" in error.message
        else:
            raise AssertionError("no timeout")
    finally:
        await provider.aclose()


async def test_two_captures_at_once_store_each_lot_once(school, client, printel) -> None:
    import asyncio

    url, _ = printel
    s = await school()
    await _configure(client, s, url)
    answers = await asyncio.gather(*(client.post(s.api("/places/capture"), headers=s.headers) for _ in range(2)))
    assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
    assert sum(a.json()["nouvelles"] for a in answers) == len(allocated_places("tilleuls"))
    assert len((await client.get(s.api("/places"), headers=s.headers)).json()) == len(allocated_places("tilleuls"))


async def test_client_assigns_and_releases_idempotently(printel) -> None:
    url, state = printel
    state.extra["tilleuls"] = [{"numero": "PTC0001", "cle": "CLEC0001", "lieu": "Bron", "date": "2030-01-07",
                                "nombre_places": 1, "type": "moto"}]
    provider = PrintelProvider(url, "tilleuls", "printel-tilleuls")
    try:
        lots = {p.numero: p for p in await provider.capture()}
        assert lots["PTC0001"].exam_type == "moto" and lots[allocated_places("tilleuls")[0]["numero"]].exam_type
        first = await provider.assign("PTC0001", "CLEC0001", "123456789012", "k1")
        state.faults.rate_limited = 1  # a 429 on the same call: retried, the same assignment
        again = await provider.assign("PTC0001", "CLEC0001", "123456789012", "k1")
        assert first.booking_id == again.booking_id and state.assigned["tilleuls|PTC0001"] == {
            "123456789012": first.booking_id}
        for call, code in ((provider.assign("PTC0001", "CLEC0001", "999988887777", "k2"), "full"),
                           (provider.assign("PTC0001", "FAUSSE", "999988887777", "k2"), "rejected"),
                           (provider.assign("INCONNU", "CLEC0001", "999988887777", "k2"), "unknown")):
            try:
                await call
            except ExamProviderError as error:
                assert error.code == code and "Printel" in error.message
            else:
                raise AssertionError(code)
        await provider.release("PTC0001", "CLEC0001", "123456789012")
        await provider.release("PTC0001", "CLEC0001", "123456789012")  # already free: no error
        assert state.assigned["tilleuls|PTC0001"] == {}
        assert (await provider.assign("PTC0001", "CLEC0001", "999988887777", "k2")).neph == "999988887777"
    finally:
        await provider.aclose()
