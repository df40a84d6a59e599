"""In a real browser (chromium): a citizen books online end to end and receives the confirmation email; an
agent types a time outside opening hours, sees the warning and books after confirming."""

import re
from datetime import date, timedelta

import pytest

pytestmark = pytest.mark.browser


async def _log_in(page, live_server, email, password):
    await page.goto(f"{live_server}/login")
    await page.get_by_label("Adresse e-mail").fill(email)
    await page.get_by_label("Mot de passe").fill(password)
    await page.get_by_role("button", name="Se connecter").click()
    await page.wait_for_url(f"{live_server}/dashboard")


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
                                  "instructions_after": "Apportez deux photos d'identité."})
    agent_id, agent_email = await add_member(org, "basic", email="luc@saint-vallier.example")
    await agents.set_services(c, agent_id, [service.id])
    await plages.save(c, {"member_id": agent_id, "weekdays": list(range(7)), "first_day": date.today(),
                          "start_time": "09:00", "end_time": "12:00", "lieu_id": lieu.id, "motif_ids": [motif.id]})
    return org, motif, agent_email


async def test_citizen_books_online_and_receives_the_email(live_server, page, make_org, add_member, mails):
    await _town(make_org, add_member)
    await page.goto(f"{live_server}/public/o/mairie-de-saint-vallier/m/rdv_service_public/")
    await page.get_by_role("link", name="Passeport").click()
    await page.get_by_role("link", name="Hôtel de ville").click()
    await page.locator("a.slot").first.click()
    await page.get_by_label("Nom et prénom").fill("Camille Petit")
    await page.get_by_label("E-mail").fill("camille@example.org")
    await page.get_by_role("button", name="Confirmer le rendez-vous").click()
    await page.wait_for_selector("#confirmed")
    assert await page.get_by_text("Apportez deux photos d'identité.").is_visible()
    [message] = await mails("camille@example.org")
    assert "confirmé" in message["Subject"]
    assert any(part.get_content_type() == "text/calendar" for part in message.walk())


async def test_agent_books_outside_opening_hours_through_the_warning(live_server, page, make_org, add_member):
    org, _, agent_email = await _town(make_org, add_member)
    await _log_in(page, live_server, agent_email, org.password)
    base = f"{live_server}/offices/{org.office_id}/m/rdv_service_public"
    await page.goto(f"{base}/planning")
    await page.get_by_role("link", name="Ajouter manuellement un rendez-vous").click()
    day = date.today() + timedelta(days=2)
    await page.get_by_label("Date et heure").fill(f"{day.isoformat()}T18:30")
    await page.get_by_label("Nom de l'usager").fill("Paul Durand")
    await page.get_by_role("button", name="Enregistrer").click()
    warning = page.locator("#outside-hours")
    await warning.wait_for()
    assert "en dehors des horaires" in await warning.inner_text()
    await page.get_by_role("button", name="Confirmer hors horaires").click()
    await page.wait_for_url(f"{base}/planning?date={day.isoformat()}")
    assert await page.get_by_text("Rendez-vous enregistré pour Paul Durand.").is_visible()
    assert await page.get_by_text("18:30 Paul Durand").is_visible()


async def test_agent_opens_the_week_grid_and_books_a_free_slot(live_server, page, make_org, add_member):
    org, motif, agent_email = await _town(make_org, add_member)
    await _log_in(page, live_server, agent_email, org.password)
    base = f"{live_server}/offices/{org.office_id}/m/rdv_service_public"
    await page.goto(f"{base}/planning?view=week&motif_id={motif.id}")
    await page.get_by_role("link", name="Suivant →").click()
    monday = date.today() - timedelta(days=date.today().weekday()) + timedelta(days=7)
    heading = page.get_by_role("heading", name=f"Lundi {monday:%d/%m}")
    await heading.wait_for()
    column = page.locator(f'section.rdv-grid-col[data-column="{monday.isoformat()}"]')
    opening = column.locator(".bg.opening")
    assert await opening.inner_text() == "Ouvert 09:00–12:00"
    box, grid_box = await opening.bounding_box(), await column.locator(".rdv-grid-body").bounding_box()
    assert abs(box["height"] - grid_box["height"]) < 2  # 09:00–12:00 is the whole visible range
    slot = column.get_by_role("link", name="Libre 10:30")
    slot_box = await slot.bounding_box()
    assert abs(slot_box["y"] - grid_box["y"] - grid_box["height"] / 2) < 2  # 10:30 is halfway down
    await slot.click()
    await page.wait_for_url(re.compile(r".*/rdvs/new\?.*"))
    assert await page.get_by_label("Date et heure").input_value() == f"{monday.isoformat()}T10:30"
    await page.get_by_label("Nom de l'usager").fill("Inès Moreau")
    await page.get_by_role("button", name="Enregistrer").click()
    await page.wait_for_url(f"{base}/planning?date={monday.isoformat()}")
    block = page.locator(f'section.rdv-grid-col[data-column="{monday.isoformat()}"] a.rdv')
    assert (await block.inner_text()).startswith("10:30 Inès Moreau")
