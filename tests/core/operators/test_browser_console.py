"""In a real browser: an operator signs in with TOTP, finds an organisation, enables a module for one office
with a trial end date; the owner then sees the module's order on their side."""

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from playwright.async_api import expect

from core.operators import accounts
from core.testing.fixtures import PASSWORD

pytestmark = pytest.mark.browser


async def test_operator_enables_a_module_with_a_trial_and_the_owner_sees_it(live_server, page, make_org):
    org = await make_org("Auto-école Navigateur", "gerant@navigateur.test")
    await make_org("Mairie de Brive", "maire@brive.test")
    new = await accounts.create_operator("ops@socle.test", "operateur-secret-1")
    page.set_default_timeout(15_000)
    await page.set_viewport_size({"width": 390, "height": 844})
    await page.goto(live_server + "/operateur/connexion")
    await page.get_by_label("Adresse e-mail").fill(new.email)
    await page.get_by_label("Mot de passe").fill("operateur-secret-1")
    await page.get_by_label("Code de l'application d'authentification (ou code de secours)").fill(
        pyotp.TOTP(new.secret).now())
    await page.click("button[type=submit]")
    await page.wait_for_url("**/operateur/")
    await page.get_by_label("Rechercher (nom, identifiant, e-mail)").fill("navig")
    await page.click("button:has-text('Filtrer')")
    await expect(page.locator("text=Mairie de Brive")).to_have_count(0)
    await page.click("text=Auto-école Navigateur")
    await page.get_by_label("Module", exact=True).select_option("alpha")
    await page.get_by_label("Raison", exact=True).fill("Essai salon des auto-écoles")
    trial_end = (datetime.now(UTC).date() + timedelta(days=30))
    await page.get_by_label("Fin de l'essai (facultatif)").fill(trial_end.isoformat())
    await page.get_by_role("button", name="Enregistrer", exact=True).click()
    await expect(page.locator(".flashes")).to_contain_text("commande n° 1")
    await expect(page.locator("main")).to_contain_text(f"essai jusqu'au {trial_end.strftime('%d/%m/%Y')}")

    await page.context.clear_cookies()
    await page.goto(live_server + "/login")
    await page.fill("#email", org.owner_email)
    await page.fill("#password", PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_url("**/dashboard")
    await page.goto(live_server + "/config/orders")
    await page.click("text=Voir")
    await expect(page.locator("main")).to_contain_text("Activation « ")
