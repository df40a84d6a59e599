"""The issue's journey in chromium: the partner creates a candidate through the five steps (pages), plans a La
Poste exam (API: the planning page is built elsewhere), the certifier's signed score arrives; the candidate
signs in with the partner's password on a 390 px phone, fills Coordonnées and sees the score."""

from datetime import date, timedelta

import pytest

from plugins.certification_robert.services import stock
from plugins.certification_robert.services.common import Ctx
from plugins.certification_robert.tables import Candidate
from tests.plugins.certification_robert.conftest import IDENTITE
from tests.plugins.certification_robert.test_results import SECRET, entry, payload, post_signed
from tests.plugins.certification_robert.test_space import COORDS

pytestmark = pytest.mark.browser
DAY = date.today() + timedelta(days=9)


async def test_partner_creates_plans_and_candidate_reads_the_score(live_server, page, centre):
    c = await centre()
    await page.goto(f"{live_server}/login")
    await page.get_by_label("Adresse e-mail").fill(c.org.owner_email)
    await page.get_by_label("Mot de passe").fill(c.org.password)
    await page.get_by_role("button", name="Se connecter").click()
    await page.wait_for_url(f"{live_server}/dashboard")
    await page.goto(f"{live_server}/offices/{c.org.office_id}/m/certification_robert/candidats/nouveau")
    await page.get_by_label("Monsieur").check()
    for name in ("nom", "nom_naissance", "prenom", "courriel", "code_postal_naissance", "commune_naissance",
                 "pays_naissance", "date_naissance"):
        await page.locator(f"#{name}").fill(IDENTITE[name])
    await page.get_by_role("button", name="Étape suivante").click()
    await page.wait_for_url("**/mot_de_passe")
    await page.locator("#mot_de_passe").fill("robert1")
    await page.locator("#confirmation").fill("robert1")
    await page.get_by_role("button", name="Étape suivante").click()
    await page.wait_for_url("**/informations")
    await page.locator("#statut").select_option("salarie")
    await page.locator("#financement").select_option("cpf")
    await page.get_by_role("button", name="Étape suivante").click()
    await page.wait_for_url("**/coordonnees")
    await page.get_by_role("button", name="Étape suivante").click()  # optional now
    await page.wait_for_url("**/divers")
    await page.get_by_role("button", name="Enregistrer").click()
    await page.wait_for_url("**/candidats")
    assert "À attribuer" in await page.locator("tbody").inner_text()

    [made] = await Candidate.select(Candidate.id).where(Candidate.email == IDENTITE["courriel"])
    await stock.add(Ctx(c.org.organisation_id, c.org.office_id), "laposte", 1)
    r = await c.call("POST", "/assignments", json={"kind": "laposte", "planned_on": DAY.isoformat(),
                                                   "starts_at": "09:15", "address": "Bureau de poste Lyon Jacobins",
                                                   "candidate_ids": [made["id"]]})
    assert r.status_code == 201, r.text
    assert (await c.call("PUT", "/settings", json={"results_secret": SECRET})).status_code == 200
    assert (await post_signed(c, payload(entry(0, email=IDENTITE["courriel"], score=833, level="C1")))).status_code \
        == 200

    await page.context.clear_cookies()
    await page.set_viewport_size({"width": 390, "height": 844})
    await page.goto(f"{live_server}/login")
    await page.get_by_label("Adresse e-mail").fill(IDENTITE["courriel"])
    await page.get_by_label("Mot de passe").fill("robert1")
    await page.get_by_role("button", name="Se connecter").click()
    await page.wait_for_url(f"{live_server}/mon-espace/")
    await page.get_by_role("link", name="Ma certification Le Robert").click()
    assert "09:15" in await page.locator(".robert-facts").inner_text()
    assert await page.get_by_text("833").count() == 0
    for label, key in (("Téléphone", "telephone"), ("Adresse de résidence", "adresse"),
                       ("Code postal de résidence", "code_postal"), ("Commune de résidence", "commune"),
                       ("Pays de résidence", "pays")):
        await page.get_by_label(label).fill(COORDS[key])
    await page.get_by_role("button", name="Enregistrer mes coordonnées").click()
    await page.wait_for_selector(".result")
    assert "833 / 990" in await page.locator(".result").inner_text()
