"""Manual registration in three steps (seed 003), over HTTP: the draft survives a reload; Vérifier shows errors
next to the line and field; « Importer » is disabled until a successful Vérifier of the current lines and any
edit disables it again; Importer registers and bills (25,34 € HT a line) and re-running the same import is
refused as already registered; Annuler wipes everything."""

import re
from datetime import date, timedelta

import pytest

from core.testing.fixtures import csrf_token, login
from plugins.formation_cqc.tables import Registration, RegistrationLine

END = (date.today() - timedelta(days=3)).strftime("%d/%m/%Y")


@pytest.fixture
def socle_plugin() -> str:
    return "formation_cqc"


async def _post(client, base, path, data=None):
    token = await csrf_token(client, base + "/sessions/nouveau")
    response = await client.post(base + path, data={**(data or {}), "_csrf_token": token}, follow_redirects=False,
                                 headers={"Referer": f"http://testserver.local{base}/sessions/nouveau"})
    assert response.status_code in (302, 303), response.text[:300]
    return response


def _import_disabled(html):
    button = re.search(r'<button type="submit" id="import"[^>]*>', html).group(0)
    return "disabled" in button


LINE = {"reference": "REF202201", "order_number": "COM20220101", "first_name": "PIERRE", "last_name": "DUPONT",
        "birth_date": "01/01/1990", "licence": "7E9R8T7ZE9E8A9"}


async def test_three_steps_verify_fix_import(client, office_with_plugin):
    org = office_with_plugin
    base = f"/offices/{org.office_id}/m/formation_cqc"
    await login(client, org.owner_email)
    page = await client.get(base + "/agrements")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)
    await client.post(base + "/agrements", data={"training": "fco", "sector": "marchandises", "number": "AG-1",
                                                 "valid_from": "01/01/2020", "valid_to": "31/12/2099",
                                                 "_csrf_token": token}, follow_redirects=False)

    await _post(client, base, "/sessions/nouveau/session", {"training": "fco", "label": "FCO marchandises",
                                                            "end_date": END})
    await _post(client, base, "/sessions/nouveau/lignes", LINE)
    await _post(client, base, "/sessions/nouveau/lignes", {**LINE, "licence": "12345", "first_name": "Anne"})
    page = (await client.get(base + "/sessions/nouveau")).text  # a reload keeps the draft
    assert "7E9R8T7ZE9E8A9" in page and "FCO marchandises" in page and _import_disabled(page)

    await _post(client, base, "/sessions/nouveau/verifier")
    page = (await client.get(base + "/sessions/nouveau")).text
    assert _import_disabled(page)
    assert 'id="l1-licence-msg"' in page and "Numéro de permis invalide" in page
    assert "pas encore de compte" in page  # warning for the driver without an account

    await _post(client, base, "/sessions/nouveau/lignes", {**LINE, "index": "1", "licence": "12 3456 789 012",
                                                           "first_name": "Anne"})
    await _post(client, base, "/sessions/nouveau/verifier")
    page = (await client.get(base + "/sessions/nouveau")).text
    assert not _import_disabled(page) and "Numéro de permis invalide" not in page

    await _post(client, base, "/sessions/nouveau/lignes", {**LINE, "licence": "999999999999", "first_name": "Léa"})
    page = (await client.get(base + "/sessions/nouveau")).text
    assert _import_disabled(page)  # an edit disables Importer again
    response = await _post(client, base, "/sessions/nouveau/importer")  # forced anyway: refused
    assert await Registration.count() == 0
    await _post(client, base, "/sessions/nouveau/lignes/2/supprimer")
    await _post(client, base, "/sessions/nouveau/verifier")
    response = await _post(client, base, "/sessions/nouveau/importer")
    assert response.headers["location"].endswith("/sessions")
    (registration,) = await Registration.select()
    assert registration["line_count"] == 2 and registration["amount_cents"] == 2 * 2534
    lines = await RegistrationLine.select().order_by(RegistrationLine.id)
    assert [line["licence"] for line in lines] == ["7E9R8T7ZE9E8A9", "123456789012"]
    page = (await client.get(base + "/sessions")).text
    assert "50,68 €" in page and "FCO marchandises" in page
    assert "Aucune ligne" in (await client.get(base + "/sessions/nouveau")).text  # the draft is gone

    await _post(client, base, "/sessions/nouveau/session", {"training": "fco", "label": "Encore", "end_date": END})
    await _post(client, base, "/sessions/nouveau/lignes", LINE)
    await _post(client, base, "/sessions/nouveau/verifier")
    page = (await client.get(base + "/sessions/nouveau")).text
    assert "déjà enregistré pour cette formation" in page and _import_disabled(page)
    await _post(client, base, "/sessions/nouveau/annuler")
    page = (await client.get(base + "/sessions/nouveau")).text
    assert "Aucune ligne" in page and "Encore" not in page
