"""In chromium at 390 px: « Capturer maintenant » on « Places attribuées » lists Printel's places, « Demander le
mandat » on an élève shows the state; no horizontal overflow and no axe-core (WCAG 2.1 A/AA) violation."""

import pytest

from tests.plugins.passerelle_examens.conftest import STUDENT
from tests.plugins.passerelle_examens.test_browser import _check, _phone_login

pytestmark = pytest.mark.browser


async def test_places_and_mandate_on_a_phone(live_server, page, school, client, rdvpermis, printel, capsys):
    s = await school()
    await client.put(s.api("/settings"), headers=s.headers, json={
        "base_url": rdvpermis[0], "client_id": "ae", "client_secret": "secret-ae", "printel_url": printel[0],
        "printel_login": "ae", "printel_password": "printel-ae"})
    assert (await client.post(s.api("/students"), headers=s.headers, json=STUDENT)).status_code == 201
    await _phone_login(page, live_server, s)
    await page.goto(live_server + s.page("/places"))
    await page.get_by_role("button", name="Capturer maintenant").click()
    assert "lot(s) de places enregistré(s)" in await page.get_by_role("status").inner_text()
    assert await page.locator("section.panel h2").count() >= 3
    await _check(page, capsys, "places attribuées")
    await page.goto(live_server + s.page("/eleves"))
    await page.get_by_role("link", name="Aucun mandat (DURAND Léa Marie)").click()
    await page.get_by_role("button", name="Demander le mandat").click()
    assert await page.locator("#mandate-state").get_attribute("data-state") == "requested"
    assert await page.get_by_role("button", name="Révoquer le mandat").is_visible()
    await _check(page, capsys, "mandat")
