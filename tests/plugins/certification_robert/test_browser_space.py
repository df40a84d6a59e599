"""In chromium at 390 px (a phone): a candidate the partner planned at La Poste, whose score has arrived, signs
in with the email and the password the partner chose, opens « Ma certification Le Robert », sees the
convocation but not the score, mistypes the postal code (error next to the field), fills the Coordonnées, then
sees the score. No page scrolls sideways; axe-core finds no WCAG 2.1 A/AA violation on the candidate space,
with and without the error."""

import pytest

from core.config import SmtpSettings
from tests.plugins.certification_robert.test_results import entry, payload, post_signed
from tests.plugins.certification_robert.test_space import ADDRESS, COORDS, planned
from tests.plugins.rdv_service_public.test_citizen_mobile import WCAG

pytestmark = pytest.mark.browser


@pytest.fixture
def smtp_settings():
    return SmtpSettings()  # mail to files: the sign-up link is read back


async def _check(page, capsys, label: str) -> None:
    from axe_playwright_python.async_playwright import Axe

    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url}: {overflow} px of horizontal overflow at 390 px"
    results = await Axe().run(page, options={**WCAG, "resultTypes": ["violations"]})
    with capsys.disabled():
        print(f"\naxe-core candidate space ({label}): {results.violations_count} violation(s) A/AA")
    assert results.violations_count == 0, results.generate_report()


async def test_candidate_space_on_a_phone(live_server, page, client, settings, centre, capsys):
    c = await centre()
    await planned(c)
    assert (await post_signed(c, payload(entry(0, score=688, level="B2")))).status_code == 200
    await page.set_viewport_size({"width": 390, "height": 844})
    await page.goto(f"{live_server}/login")
    await page.get_by_label("Adresse e-mail").fill("c0@clr.com")
    await page.get_by_label("Mot de passe").fill("secret1")  # chosen by the partner at step « Mot de passe »
    await page.get_by_role("button", name="Se connecter").click()
    await page.wait_for_url(f"{live_server}/mon-espace/")
    await page.get_by_role("link", name="Ma certification Le Robert").click()
    await page.wait_for_url(f"{live_server}/mon-espace/m/certification_robert/certification")
    assert await page.get_by_role("heading", name="Centre de langues Molière").is_visible()
    facts = await page.locator(".robert-facts").inner_text()
    assert "Passée" in facts and ADDRESS in facts and "14:30" in facts
    assert await page.get_by_text("Votre résultat est disponible").is_visible()
    assert await page.get_by_text("688").count() == 0
    await _check(page, capsys, "résultat masqué")

    for name, value in (("Téléphone", COORDS["telephone"]), ("Adresse de résidence", COORDS["adresse"]),
                        ("Code postal de résidence", "690"), ("Commune de résidence", COORDS["commune"]),
                        ("Pays de résidence", COORDS["pays"])):
        await page.get_by_label(name).fill(value)
    await page.get_by_role("button", name="Enregistrer mes coordonnées").click()
    field = page.get_by_label("Code postal de résidence")
    assert await field.get_attribute("aria-invalid") == "true"
    error = page.locator("#" + (await field.get_attribute("aria-describedby")))
    assert "5 chiffres" in await error.inner_text()
    await _check(page, capsys, "erreur de saisie")

    await field.fill(COORDS["code_postal"])
    await page.get_by_role("button", name="Enregistrer mes coordonnées").click()
    await page.wait_for_selector(".result")
    assert "688 / 990" in await page.locator(".result").inner_text()
    assert await page.get_by_text("Coordonnées enregistrées.").is_visible()
    await _check(page, capsys, "score affiché")
