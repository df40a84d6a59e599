"""In chromium at 390 px: « Nouvel enregistrement » → Conducteur → Manuellement, the three steps with a failing
Vérifier (the error next to the line), a fix with the stylet, Vérifier, Importer and its confirmation; then the
driver's space: a wrong claim, the right one, the documents, and « Demander ma carte CQC » with its confirmation
and status. No horizontal overflow and no axe-core (WCAG 2.1 A/AA) violation on each page."""

from datetime import UTC, date, datetime, timedelta

import pytest

from core.testing.fixtures import PASSWORD, deliver_outbox
from plugins.formation_cqc.tables import AgrementRow, Registration
from tests.plugins.rdv_service_public.test_citizen_mobile import WCAG

pytestmark = pytest.mark.browser
END = (date.today() - timedelta(days=3)).strftime("%d/%m/%Y")


@pytest.fixture
def socle_plugin() -> str:
    return "formation_cqc"


async def _check(page, capsys, what: str) -> None:
    from axe_playwright_python.async_playwright import Axe

    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{what}: {overflow} px of horizontal overflow at 390 px"
    results = await Axe().run(page, options={**WCAG, "resultTypes": ["violations"]})
    with capsys.disabled():
        print(f"\naxe-core formation_cqc {what}: {results.violations_count} violation(s) A/AA")
    assert results.violations_count == 0, results.generate_report()


async def _login(page, server, email):
    await page.goto(f"{server}/login")
    await page.get_by_label("Adresse e-mail").fill(email)
    await page.get_by_label("Mot de passe").fill(PASSWORD)
    await page.get_by_role("button", name="Se connecter").click()
    await page.wait_for_load_state()


async def test_manual_journey_and_driver_space_on_a_phone(app, settings, live_server, page, office_with_plugin,
                                                          capsys):
    org = office_with_plugin
    await AgrementRow.insert(AgrementRow(organisation=org.organisation_id, office=org.office_id, training="fco",
                                         sector="marchandises", number="AG-1", valid_from=date(2020, 1, 1),
                                         valid_to=date(2099, 1, 1))).run()
    dialogs: list[str] = []

    async def accept(dialog):
        dialogs.append(dialog.message)
        await dialog.accept()

    page.on("dialog", accept)
    await page.set_viewport_size({"width": 390, "height": 844})
    await _login(page, live_server, org.owner_email)
    base = f"{live_server}/offices/{org.office_id}/m/formation_cqc"
    await page.goto(base + "/sessions")
    await page.get_by_role("link", name="Nouvel enregistrement").click()
    await page.get_by_label("Conducteur").check()
    await page.get_by_role("button", name="Choisir ce profil").click()
    await _check(page, capsys, "profil et mode")
    await page.get_by_role("button", name="Manuellement").click()

    await page.get_by_label("Type de formation").select_option("fco")
    await page.get_by_label("Libellé de la formation").fill("FCO marchandises")
    await page.get_by_label("Date de fin de la formation").fill(END)
    await page.get_by_role("button", name="Enregistrer la session").click()
    values = {"reference": "REF202201", "order_number": "COM20220101", "first_name": "PIERRE",
              "last_name": "DUPONT", "birth_date": "01/01/1990", "licence": "7E9R8T7ZE9E8A9XYZ1"}
    for name, value in values.items():
        await page.locator(f"#f-{name}").fill(value)
    await page.get_by_role("button", name="Ajouter").click()
    assert await page.locator("#import").is_disabled()
    await page.get_by_role("button", name="Vérifier").click()
    assert "Numéro de permis invalide" in await page.locator("#l0-licence-msg").inner_text()
    assert await page.locator("#import").is_disabled()
    await _check(page, capsys, "saisie manuelle (Vérifier en échec)")

    await page.get_by_role("link", name="Modifier la ligne 1").click()
    await page.locator("#f-licence").fill("7E9R8T7ZE9E8A9")
    await page.get_by_role("button", name="Enregistrer la ligne").click()
    await page.get_by_role("button", name="Vérifier").click()
    assert await page.locator("#import").is_enabled()
    await page.locator("#import").click()
    await page.wait_for_url(base + "/sessions")
    assert any("Cette action est définitive" in d for d in dialogs)
    assert await Registration.count() == 1 and "25,34 €" in await page.locator("table").first.inner_text()
    await _check(page, capsys, "Mes sessions après l'import")
    for path, what in (("/releve", "relevé mensuel"), ("/souscription-api", "Souscrire à l'API")):
        await page.goto(base + path)
        await _check(page, capsys, what)

    await deliver_outbox(settings, app.state.jobs)
    await Registration.update({Registration.created_at: datetime.now(UTC)}).where(Registration.id > 0)
    from core.accounts.tables import AccountProfile
    from core.tenancy import services

    driver = await services.create_user("pierre@example.org", PASSWORD)
    await AccountProfile.insert(AccountProfile(user=driver.id, full_name="Pierre Dupont",
                                               verified_at=datetime.now(UTC))).run()
    await page.context.clear_cookies()
    await _login(page, live_server, "pierre@example.org")
    space = f"{live_server}/mon-espace/m/formation_cqc"
    await page.goto(space + "/formations")
    await page.get_by_label("Numéro de permis de conduire").fill("7E9R8T7ZE9E8A9")
    await page.get_by_label("Date de naissance").fill("02/01/1990")
    await page.get_by_label("Nom de famille").fill("Dupont")
    await page.get_by_role("button", name="Rattacher mes formations").click()
    assert "Aucune formation ne correspond" in await page.locator("#message").inner_text()
    await _check(page, capsys, "Mes formations (rattachement refusé)")
    await page.get_by_label("Date de naissance").fill("01/01/1990")
    await page.get_by_role("button", name="Rattacher mes formations").click()
    assert "1 formation(s) rattachée(s)" in await page.locator("#message").inner_text()
    await _check(page, capsys, "Mes formations (rattachées)")
    await page.get_by_role("link", name="Demander ma carte CQC pour cette formation").click()
    assert await page.get_by_label("FCO complète").is_checked()  # the formation's training is chosen
    await page.get_by_label("Adresse de livraison (numéro et voie)").fill("3 rue du Port")
    await page.get_by_label("Code postal").fill("69002")
    await page.get_by_label("Ville").fill("Lyon")
    await page.get_by_label("Je certifie").check()
    await page.get_by_role("button", name="Envoyer ma demande").click()
    await page.wait_for_url(space + "/carte-cqc?envoyee=1")
    assert any("demande de carte CQC" in d for d in dialogs)
    assert "Demande déposée" in await page.locator("#requests").inner_text()
    await _check(page, capsys, "Ma carte CQC")

    await page.context.clear_cookies()  # the centre moves the request on « Demandes de carte CQC »
    await _login(page, live_server, org.owner_email)
    await page.goto(base + "/cartes-cqc")
    await _check(page, capsys, "Demandes de carte CQC")
    await page.get_by_label("Nouvel état").select_option("refusee")
    await page.get_by_role("button", name="Enregistrer").click()
    reason = page.get_by_label("Motif du refus (obligatoire pour un refus)")
    assert await reason.get_attribute("aria-invalid") == "true"
    assert "motif du refus" in await page.locator(".field-error").inner_text()
    await _check(page, capsys, "Demandes de carte CQC (refus sans motif)")
    await page.get_by_label("Nouvel état").select_option("en_fabrication")
    await page.get_by_role("button", name="Enregistrer").click()
    await page.wait_for_url(base + "/cartes-cqc?modifiee=1")
    assert "Carte en fabrication" in await page.locator("#card-requests").inner_text()
    await _check(page, capsys, "Demandes de carte CQC (en fabrication)")
