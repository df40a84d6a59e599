"""In chromium at 390 px: « Capturer maintenant », then « Attribuer une place » on a lot → search the élève →
« Attribuer à … »: the lot shows the élève and one place fewer, the exam is in « Dossiers d'examen »; then
« Retirer », confirmed, frees the place. No horizontal overflow and no axe-core (WCAG 2.1 A/AA) violation."""

import pytest

from tests.plugins.passerelle_examens.conftest import STUDENT
from tests.plugins.passerelle_examens.places_helpers import LOGIN, lot_row
from tests.plugins.passerelle_examens.test_browser import _check, _phone_login

pytestmark = pytest.mark.browser


async def test_capture_assign_and_the_exam_in_the_list_on_a_phone(live_server, page, school, client, printel,
                                                                   capsys):
    url, state = printel
    s = await school("Auto-école des Tilleuls")
    await client.put(s.api("/settings"), headers=s.headers, json={
        "printel_url": url, "printel_login": LOGIN, "printel_password": f"printel-{LOGIN}"})
    assert (await client.post(s.api("/students"), headers=s.headers, json=STUDENT)).status_code == 201
    state.extra[LOGIN] = [lot_row("PTT0001", days=20, places=2)]
    await _phone_login(page, live_server, s)
    await page.goto(live_server + s.page("/places"))
    await page.get_by_role("button", name="Capturer maintenant").click()
    assert "lot(s) de places enregistré(s)" in await page.get_by_role("status").inner_text()
    await page.get_by_role("link", name="Attribuer une place du lot n° PTT0001").click()
    await page.get_by_label("Nom de l'élève").fill("durand")
    await page.get_by_role("button", name="Rechercher l'élève").click()
    await _check(page, capsys, "attribuer une place (choix de l'élève)")
    await page.get_by_role("button", name="Attribuer à DURAND Léa Marie").click()
    await page.wait_for_url(f"{live_server}{s.page('/places')}")
    assert await page.get_by_text("Place attribuée : examen du").is_visible()
    lot = page.locator("section.panel", has_text="PTT0001")
    assert "2 place(s) : 1 attribuée(s), 1 libre(s)" in await lot.inner_text()
    assert "DURAND Léa Marie (NEPH 123456789012)" in await lot.inner_text()
    await _check(page, capsys, "places attribuées (un élève sur un lot)")
    await page.get_by_role("link", name="Dossiers d'examen").first.click()
    assert await page.get_by_role("cell", name="DURAND Léa Marie", exact=True).is_visible()
    assert await page.get_by_role("cell", name="Centre d'examen de Bron").is_visible()
    await page.goto(live_server + s.page("/places"))
    await page.get_by_role("link", name="Retirer DURAND Léa Marie du lot n° PTT0001").click()
    await page.get_by_role("button", name="Confirmer le retrait").wait_for()
    await _check(page, capsys, "retirer un élève du lot")
    await page.get_by_role("button", name="Confirmer le retrait").click()
    await page.wait_for_url(f"{live_server}{s.page('/places')}")
    assert await page.get_by_text("Place libérée").is_visible()
    assert "2 place(s) : 0 attribuée(s), 2 libre(s)" in await lot.inner_text()
