"""In chromium at 390 px (a phone): a citizen signs up, books, finds the appointment in « Mes rendez-vous »
and cancels it there; no page of the journey scrolls sideways."""

import re
import shutil
from datetime import date

import pytest

from core.testing.browser import CHROMIUM_ARGS

pytestmark = pytest.mark.browser
EMAIL = "camille@example.org"


@pytest.fixture
async def phone():
    from playwright.async_api import async_playwright

    executable = shutil.which("chromium") or "/usr/bin/chromium"
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        context = await browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844},
                                            is_mobile=True, has_touch=True)
        try:
            yield await context.new_page()
        finally:
            await context.close()
            await browser.close()


async def _town(make_org, add_member):
    from core import db
    from core.auth.services import actor_for
    from core.modules.activation import set_active
    from plugins.rdv_service_public.services import agents, config, guichets, motifs, plages
    from plugins.rdv_service_public.services.common import Ctx

    org = await make_org("Mairie de Saint-Vallier")
    async with db.write_transaction():
        await set_active(org.organisation_id, org.office_id, "rdv_service_public", True)
    await guichets.ensure_standard(org.organisation_id, org.office_id)
    owner = await actor_for(org.owner_user_id, org.organisation_id)
    c = Ctx(org.organisation_id, org.office_id, "Europe/Paris", owner)
    service = await config.save_service(c, {"name": "État civil"})
    lieu = await config.save_lieu(c, {"name": "Hôtel de ville", "address": "Place de l'Hôtel de Ville"})
    motif = await motifs.save(c, {"name": "Passeport", "service_id": service.id, "online": True,
                                  "min_delay_minutes": 60 * 24, "max_delay_minutes": 60 * 24 * 30,
                                  "users_may_change": True})
    agent_id, _ = await add_member(org, "basic", email="luc@saint-vallier.example")
    await agents.set_services(c, agent_id, [service.id])
    await plages.save(c, {"member_id": agent_id, "weekdays": list(range(7)), "first_day": date.today(),
                          "start_time": "09:00", "end_time": "12:00", "lieu_id": lieu.id, "motif_ids": [motif.id]})


async def _fits(page):
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width} px wide"


async def test_citizen_signs_up_books_finds_and_cancels_on_a_phone(live_server, phone, make_org, add_member, mails):
    page = phone
    await _town(make_org, add_member)
    await page.goto(f"{live_server}/mon-espace/inscription")
    await _fits(page)
    await page.get_by_label("Adresse e-mail").fill(EMAIL)
    await page.get_by_role("button", name="Recevoir le lien").click()
    await page.wait_for_selector("#sent")
    [message] = await mails(EMAIL)
    link = re.search(r"http://testserver\.local(/mon-espace/inscription/\S+)",
                     message.get_body(preferencelist=("plain",)).get_content()).group(1)
    await page.goto(live_server + link)
    await _fits(page)
    await page.get_by_label("Prénom et nom").fill("Camille Pétillon")
    await page.get_by_label("Téléphone").fill("06 12 34 56 78")
    await page.get_by_label("Mot de passe (8 caractères au moins)").fill("mot-de-passe-solide")
    await page.get_by_label("Confirmation du mot de passe").fill("mot-de-passe-solide")
    await page.get_by_role("button", name="Créer mon espace").click()
    await page.wait_for_url(f"{live_server}/mon-espace/")
    assert await page.get_by_role("heading", name="Bonjour Camille Pétillon").is_visible()
    await _fits(page)

    await page.goto(f"{live_server}/public/o/mairie-de-saint-vallier/m/rdv_service_public/")
    await page.get_by_role("link", name="Passeport").click()
    await page.get_by_role("link", name="Hôtel de ville").click()
    await page.locator("a.slot").first.click()
    assert await page.get_by_label("Nom et prénom").input_value() == "Camille Pétillon"
    assert await page.get_by_label("E-mail").input_value() == EMAIL
    await page.get_by_role("button", name="Confirmer le rendez-vous").click()
    await page.wait_for_selector("#confirmed")

    await page.goto(f"{live_server}/mon-espace/")
    await page.get_by_role("link", name=re.compile("Mes rendez-vous")).click()
    await page.wait_for_url(f"{live_server}/mon-espace/m/rdv_service_public/")
    upcoming = page.locator("#upcoming")
    assert "Passeport" in await upcoming.inner_text()
    await _fits(page)
    await page.get_by_role("button", name="Annuler ce rendez-vous").click()
    await page.wait_for_selector("#message")
    assert "Votre rendez-vous est annulé." in await page.locator("#message").inner_text()
    assert "Annulé" in await page.locator("#past").inner_text()
    assert await page.locator("#upcoming").count() == 0
    await _fits(page)
