"""In a real browser at 390 px (a phone, no horizontal overflow, axe-core WCAG 2.1 A/AA on every console page):
an operator signs in with TOTP, finds an organisation, enables a module for one office with a trial end date;
the owner then logs in in the same browser (which ends the operator's session), sees the module's order, and
grants « voir comme »; the operator, back with a recovery code, reads the owner's pages under the banner."""

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from playwright.async_api import expect

from core.operators import accounts
from core.testing.fixtures import PASSWORD
from tests.plugins.rdv_service_public.test_citizen_mobile import WCAG

pytestmark = pytest.mark.browser


async def _check(page, name, capsys):
    """No horizontal overflow at 390 px and no axe-core A/AA violation."""
    from axe_playwright_python.async_playwright import Axe

    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name}: {overflow} px of horizontal overflow at 390 px"
    results = await Axe().run(page, options={**WCAG, "resultTypes": ["violations"]})
    with capsys.disabled():
        print(f"\naxe-core {name}: {results.violations_count} violation(s) A/AA")
    assert results.violations_count == 0, results.generate_report()


async def test_operator_enables_a_module_with_a_trial_and_the_owner_sees_it(live_server, page, make_org, capsys):
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
    await _check(page, "console organisations", capsys)
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
    await _check(page, "console organisation", capsys)
    for path, name in (("/operateur/commandes", "console commandes"), ("/operateur/factures", "console factures"),
                       ("/operateur/catalogue", "console catalogue")):
        await page.goto(live_server + path)
        await _check(page, name, capsys)

    # The owner logs in in the same browser: the operator's session ends there.
    await page.goto(live_server + "/login")
    await page.fill("#email", org.owner_email)
    await page.fill("#password", PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_url("**/dashboard")
    response = await page.goto(live_server + "/operateur/")
    assert response is not None and response.status == 404
    await page.goto(live_server + "/config/orders")
    await page.click("text=Voir")
    await expect(page.locator("main")).to_contain_text("Activation « ")
    await page.goto(live_server + "/config/operateur")
    await page.get_by_label("Durée de l'accord").select_option("24")
    await page.get_by_role("button", name="Donner mon accord").click()
    await expect(page.locator("main")).to_contain_text("Accord en cours")
    await _check(page, "consentement voir comme", capsys)

    await page.goto(live_server + "/operateur/connexion")
    await page.get_by_label("Adresse e-mail").fill(new.email)
    await page.get_by_label("Mot de passe").fill("operateur-secret-1")
    await page.get_by_label("Code de l'application d'authentification (ou code de secours)").fill(
        new.recovery_codes[0])
    await page.click("button[type=submit]")
    await page.wait_for_url("**/operateur/")
    await page.click("text=Auto-école Navigateur")
    await page.get_by_role("button", name="Voir comme le gérant").click()
    await page.wait_for_url("**/dashboard")
    await expect(page.locator(".operator-view")).to_contain_text("Vous consultez en tant qu'opérateur")
    await _check(page, "voir comme (tableau de bord)", capsys)
    await page.get_by_role("button", name="Terminer la consultation").click()
    await page.wait_for_url("**/operateur/organisations/*")


async def test_operator_cancels_an_invoice_and_the_owner_sees_the_credit_note(app, live_server, page, make_org,
                                                                              capsys):
    """A one-off module enabled from the console is invoiced at once; the operator cancels the invoice with a
    reason (credit note n° 1); the owner sees the invoice « Annulée (avoir n° 1) » and the credit note."""
    from core.modules.catalog import Catalog
    from core.operators import direct

    org = await make_org("Auto-école des Avoirs", "gerant@avoirs.test")
    new = await accounts.create_operator("ops@socle.test", "operateur-secret-1")
    op = await accounts.Operator.objects().where(accounts.Operator.email == new.email).first()
    await direct.apply(app.state.plugins, Catalog.of(app.state.plugins), op, org.organisation_id,
                       direct.DirectChange(org.office_id, "beta", True, "Contrat signé"), "")
    page.set_default_timeout(15_000)
    await page.set_viewport_size({"width": 390, "height": 844})
    await page.goto(live_server + "/operateur/connexion")
    await page.get_by_label("Adresse e-mail").fill(new.email)
    await page.get_by_label("Mot de passe").fill("operateur-secret-1")
    await page.get_by_label("Code de l'application d'authentification (ou code de secours)").fill(
        pyotp.TOTP(new.secret).now())
    await page.click("button[type=submit]")
    await page.wait_for_url("**/operateur/")
    await page.goto(live_server + "/operateur/factures")
    await page.get_by_label("Nouveau statut de la facture n° 1 (Auto-école des Avoirs)").select_option("cancelled")
    await page.get_by_label("Motif d'une annulation (imprimé sur l'avoir, facultatif)").fill("Module offert")
    await page.get_by_role("button", name="Enregistrer").click()
    await expect(page.locator(".flashes")).to_contain_text("avoir n° 1 émis")
    await expect(page.locator("main")).to_contain_text("annulée par l'avoir n° 1")
    await _check(page, "console factures et avoirs", capsys)

    await page.goto(live_server + "/login")
    await page.fill("#email", org.owner_email)
    await page.fill("#password", PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_url("**/dashboard")
    await page.goto(live_server + "/config/factures")
    await expect(page.locator("main")).to_contain_text("Annulée (avoir n° 1)")
    await expect(page.get_by_role("link", name="Télécharger l'avoir n° 1")).to_be_visible()
    await _check(page, "mes factures et avoirs", capsys)
