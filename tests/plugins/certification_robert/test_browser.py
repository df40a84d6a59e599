"""In chromium at 390 px: a partner orders 10 + 10 certifications (the cart's figures), the sales team opens
the emailed link and accepts, the stock on « Accueil » grows; then the partner creates a group and associates
a candidate found by search. Every page fits the screen and passes axe-core (WCAG 2.1 A/AA)."""

import re

import pytest

from tests.plugins.certification_robert.test_planning import mails, smtp_settings  # noqa: F401
from tests.plugins.rdv_service_public.test_citizen_mobile import _check

pytestmark = pytest.mark.browser
NB = "\u00a0"


async def _centre(make_org):
    from core import db
    from core.modules.activation import set_active
    from plugins.certification_robert.services import candidates
    from plugins.certification_robert.services.common import Ctx
    from tests.plugins.certification_robert.conftest import IDENTITE

    org = await make_org("Centre de langues Molière")
    async with db.write_transaction():
        await set_active(org.organisation_id, org.office_id, "certification_robert", True)
    c = Ctx(org.organisation_id, org.office_id)
    await candidates.create(c, IDENTITE)
    await candidates.create(c, {**IDENTITE, "nom": "Martin", "prenom": "Léa", "courriel": "lea@clr.com"})
    return org


async def test_order_accept_link_stock_and_groups_at_390_px(live_server, page, make_org, mails, capsys):  # noqa: F811
    org = await _centre(make_org)
    await page.set_viewport_size({"width": 390, "height": 844})
    await page.goto(f"{live_server}/login")
    await page.get_by_label("Adresse e-mail").fill(org.owner_email)
    await page.get_by_label("Mot de passe").fill(org.password)
    await page.get_by_role("button", name="Se connecter").click()
    await page.wait_for_url(f"{live_server}/dashboard")
    base = f"{live_server}/offices/{org.office_id}/m/certification_robert"

    await page.goto(f"{base}/accueil")
    assert await page.locator("#stock-total").inner_text() == "0"
    await _check(page, "accueil", capsys)
    await page.get_by_role("link", name="Commander", exact=True).click()
    await page.wait_for_url(f"{base}/commandes/nouvelle")
    plus = page.get_by_role("button", name="Une de plus : Partenaire / La Poste")
    await plus.click()
    await plus.click()  # the page's script recomputes in place (no round trip)
    assert await page.get_by_label("Quantité Partenaire / La Poste").input_value() == "2"
    assert await page.locator('[data-amount="PART-LAPOSTE-EXAMEN"]').inner_text() == f"200,00{NB}€"
    assert await page.locator("#total").inner_text() == f"240,00{NB}€"
    await page.get_by_label("Quantité Partenaire / centre agréé").fill("10")
    await page.get_by_label("Quantité Partenaire / La Poste").fill("10")
    assert await page.locator("#total").inner_text() == f"2{NB}052,00{NB}€"
    await page.get_by_role("button", name="Recalculer").click()  # the server's figures
    await page.wait_for_load_state()
    assert await page.get_by_label("Quantité Partenaire / La Poste").input_value() == "10"
    assert await page.locator("#subtotal").inner_text() == f"1{NB}710,00{NB}€"
    assert await page.locator("#tva").inner_text() == f"342,00{NB}€"
    assert await page.locator("#total").inner_text() == f"2{NB}052,00{NB}€"
    await _check(page, "nouvelle commande", capsys)
    await page.get_by_label("Quantité Partenaire / La Poste").fill("dix")
    await page.get_by_role("button", name="Commander").click()
    error = page.locator("#qty-PART-LAPOSTE-EXAMEN-error")
    await error.wait_for()
    assert await page.get_by_label("Quantité Partenaire / La Poste").get_attribute("aria-invalid") == "true"
    await _check(page, "commande refusée (quantité invalide)", capsys)
    await page.get_by_label("Quantité Partenaire / La Poste").fill("10")
    await page.get_by_role("button", name="Commander").click()
    await page.wait_for_url(re.compile(r".*/commandes\?envoyee=\d+"))
    assert await page.get_by_role("cell", name="Devis demandé").is_visible()
    await _check(page, "mes commandes", capsys)

    [mail] = await mails("commercial@lerobert.example")
    text = next(p for p in mail.walk() if p.get_content_type() == "text/plain").get_payload(decode=True).decode()
    link = re.search(r"http://testserver\.local(/public/\S+)", text).group(1)
    await page.goto(live_server + link)
    await _check(page, "lien du service commercial", capsys)
    await page.get_by_role("button", name="Accepter la commande").click()
    await page.get_by_text("Commande acceptée").wait_for()
    await page.goto(live_server + link)
    assert await page.get_by_text("Lien déjà utilisé").is_visible()
    await page.goto(f"{base}/accueil")
    assert await page.locator("#stock-total").inner_text() == "20"
    assert await page.locator("#stock-centre").inner_text() == "10"

    await page.goto(f"{base}/groupes")
    await page.get_by_role("link", name="Créer un groupe").click()
    await page.get_by_role("button", name="Enregistrer").click()
    await page.locator("#name-error").wait_for()
    assert await page.get_by_label("Nom du groupe").get_attribute("aria-describedby") == "name-error"
    await _check(page, "création d'un groupe, erreurs", capsys)
    await page.get_by_label("Nom du groupe").fill("Classe FLE B2")
    await page.get_by_label("Catégorie de groupe").select_option("classe")
    await page.get_by_role("button", name="Enregistrer").click()
    await page.get_by_role("heading", name="Groupe « Classe FLE B2 »").wait_for()
    await page.get_by_role("link", name="Associer des candidats").click()
    await page.get_by_label("Rechercher un nom, un courriel").fill("lea@")
    await page.get_by_role("button", name="Rechercher").click()
    await page.wait_for_load_state()
    assert not await page.get_by_text("ALLERA Sébastien").count()
    await _check(page, "associer des candidats", capsys)
    await page.get_by_label("MARTIN Léa").check()
    await page.get_by_role("button", name="Associer les candidats cochés").click()
    await page.get_by_text("1 candidat(s) associé(s) au groupe.").wait_for()
    assert await page.get_by_role("link", name="MARTIN Léa").is_visible()
    await _check(page, "groupe et ses candidats", capsys)


async def test_planning_page_assigns_and_links_the_codes_sheet_at_390_px(live_server, page, make_org, capsys):
    from datetime import date, timedelta

    from plugins.certification_robert.services import candidates, stock
    from plugins.certification_robert.services.common import Ctx

    org = await _centre(make_org)
    c = Ctx(org.organisation_id, org.office_id)
    for row in await candidates.list_candidates(c):
        await candidates.save_step(c, row["id"], "mot_de_passe",
                                   {"mot_de_passe": "secret1", "confirmation": "secret1"})
        await candidates.save_step(c, row["id"], "informations", {"statut": "salarie", "financement": "cpf"})
    await stock.add(c, "centre", 5)
    await page.set_viewport_size({"width": 390, "height": 844})
    await page.goto(f"{live_server}/login")
    await page.get_by_label("Adresse e-mail").fill(org.owner_email)
    await page.get_by_label("Mot de passe").fill(org.password)
    await page.get_by_role("button", name="Se connecter").click()
    await page.wait_for_url(f"{live_server}/dashboard")
    base = f"{live_server}/offices/{org.office_id}/m/certification_robert"
    await page.goto(f"{base}/accueil")
    await page.get_by_role("link", name="Générer les codes").click()
    await page.wait_for_url(f"{base}/certifications")
    supervised = page.locator("section", has=page.get_by_role(
        "heading", name="Certifications dont vous gérez la surveillance"))
    await supervised.get_by_role("button", name="Valider l'attribution").click()
    await page.locator("#centre-candidate_ids-error").wait_for()
    assert await page.get_by_label("Date prévisionnelle de la session").get_attribute("aria-invalid") == "true"
    await _check(page, "certifications, erreurs", capsys)
    await page.get_by_label("Date prévisionnelle de la session").fill((date.today() + timedelta(days=8)).isoformat())
    await supervised.get_by_label("MARTIN Léa").check()
    await supervised.get_by_role("button", name="Valider l'attribution").click()
    await page.get_by_text("Certifications attribuées").wait_for()
    assert await page.locator("#level-centre").inner_text() == "4"
    sheet = page.get_by_role("link", name=re.compile("Générer les codes \\(PDF\\)"))
    assert (await sheet.get_attribute("href")).endswith("/codes.pdf")
    await _check(page, "certifications, session créée", capsys)
    response = await page.request.get(live_server + (await sheet.get_attribute("href")).removeprefix(live_server))
    assert response.ok and response.headers["content-type"] == "application/pdf"
