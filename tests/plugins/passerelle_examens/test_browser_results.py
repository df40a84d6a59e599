"""In chromium at 390 px: « Saisir le résultat » shows the points error next to the field, then records the
échec; the élève page takes the « Date d'obtention du code »; no horizontal overflow, no axe-core violation."""

import datetime as dt

import pytest

from tests.plugins.passerelle_examens.test_browser import _check, _phone_login
from tests.plugins.passerelle_examens.test_results import _booked_yesterday

pytestmark = pytest.mark.browser


async def test_result_and_theory_date_on_a_phone(live_server, page, ready, client, capsys):
    r = await ready()
    s = r.s
    exam = await _booked_yesterday(client, r)
    await _phone_login(page, live_server, s)
    await page.goto(live_server + s.page("/examens"))
    await page.get_by_role("link", name="Saisir le résultat de DURAND Léa Marie").click()
    await page.get_by_role("radio", name="Échec").check()
    await page.get_by_role("button", name="Enregistrer le résultat").click()
    assert await page.locator("#points-error").inner_text() == "Indiquez le nombre de points (fautes) de l'échec."
    await _check(page, capsys, "saisie du résultat (erreur points)")
    await page.get_by_label("Nombre de points (fautes), en cas d'échec").fill("22")
    await page.get_by_role("button", name="Enregistrer le résultat").click()
    await page.wait_for_url(f"{live_server}{s.page('/examens')}")
    assert await page.get_by_text("Résultat enregistré : Échec (22 points).").is_visible()
    await page.goto(live_server + s.page(f"/eleves/{r.student['id']}"))
    await page.get_by_label("Date d'obtention du code").fill("2099-01-01")
    await page.get_by_role("button", name="Enregistrer les modifications").click()
    assert "dans le futur" in await page.locator("#date_code-error").inner_text()
    await _check(page, capsys, "élève (erreur date du code)")
    await page.get_by_label("Date d'obtention du code").fill(dt.date.today().isoformat())
    await page.get_by_role("button", name="Enregistrer les modifications").click()
    await page.wait_for_url(f"{live_server}{s.page('/eleves')}")
    got = (await client.get(s.api(f"/students/{r.student['id']}"), headers=s.headers)).json()
    assert got["date_code"] == dt.date.today().isoformat() and exam["id"]
