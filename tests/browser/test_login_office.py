"""In a real browser: the owner logs in, creates an office, and sees it in Ma configuration and the switcher."""

import pytest

pytestmark = pytest.mark.browser


async def test_owner_logs_in_and_creates_an_office(live_server, page, make_org):
    org = await make_org("Auto-école des Tilleuls")
    await page.goto(f"{live_server}/")
    await page.get_by_label("Adresse e-mail").fill(org.owner_email)
    await page.get_by_label("Mot de passe").fill(org.password)
    await page.get_by_role("button", name="Se connecter").click()
    await page.wait_for_url(f"{live_server}/dashboard")
    assert await page.get_by_role("heading", name="Tableau de bord").is_visible()

    await page.get_by_role("link", name="Ma configuration").first.click()
    await page.get_by_role("link", name="Créer un bureau").click()
    await page.get_by_label("Nom du bureau").fill("Annexe Villeurbanne")
    await page.get_by_label("Adresse").fill("5 cours Émile-Zola, 69100 Villeurbanne")
    await page.get_by_role("button", name="Enregistrer").click()

    await page.wait_for_url(f"{live_server}/config")
    assert await page.get_by_text("Le bureau « Annexe Villeurbanne » a été créé.").is_visible()
    assert await page.get_by_role("cell", name="Annexe Villeurbanne").is_visible()
    options = await page.locator("#office_id option").all_inner_texts()
    assert "Annexe Villeurbanne" in options
