"""In chromium at 390 px: the élève form shows the NEPH error next to the field, the élèves list, the centres
page lists the simulator's results, the week's sessions are searched, one is booked for an élève and cancelled;
no horizontal overflow and no axe-core (WCAG 2.1 A/AA) violation on any of these pages."""

import pytest

from tests.plugins.passerelle_examens.conftest import STUDENT
from tests.plugins.rdv_service_public.test_citizen_mobile import WCAG

pytestmark = pytest.mark.browser


async def _phone_login(page, live_server: str, s) -> None:
    """At 390 px, the school's owner signs in and lands on the dashboard."""
    await page.set_viewport_size({"width": 390, "height": 844})
    await page.goto(f"{live_server}/login")
    await page.get_by_label("Adresse e-mail").fill(s.org.owner_email)
    await page.get_by_label("Mot de passe").fill(s.org.password)
    await page.get_by_role("button", name="Se connecter").click()
    await page.wait_for_url(f"{live_server}/dashboard")


async def _check(page, capsys, what: str) -> None:
    from axe_playwright_python.async_playwright import Axe

    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{what}: {overflow} px of horizontal overflow at 390 px"
    results = await Axe().run(page, options={**WCAG, "resultTypes": ["violations"]})
    with capsys.disabled():
        print(f"\naxe-core passerelle_examens {what}: {results.violations_count} violation(s) A/AA")
    assert results.violations_count == 0, results.generate_report()


async def test_student_form_and_centres_on_a_phone(live_server, page, school, client, rdvpermis, capsys):
    s = await school()
    await client.put(s.api("/settings"), headers=s.headers,
                     json={"base_url": rdvpermis[0], "client_id": "ae", "client_secret": "secret-ae"})
    await _phone_login(page, live_server, s)
    await page.goto(live_server + s.page("/eleves/nouveau"))
    await page.get_by_label("Madame").check()
    for name in ("nom", "prenoms", "date_naissance"):
        await page.locator(f"#{name}").fill(STUDENT[name])
    await page.get_by_label("NEPH").fill("1234")
    await page.get_by_label("Catégorie").select_option("B")
    await page.get_by_role("button", name="Enregistrer l'élève").click()
    assert await page.locator("#neph-error").inner_text() == (
        "Le NEPH doit compter exactement 12 chiffres (les espaces sont ignorés).")
    await _check(page, capsys, "élève (erreur NEPH)")
    await page.get_by_label("NEPH").fill(STUDENT["neph"])
    await page.get_by_role("button", name="Enregistrer l'élève").click()
    await page.goto(live_server + s.page("/eleves"))
    await page.get_by_role("link", name="Aucun mandat").wait_for()
    await _check(page, capsys, "élèves")  # a visually hidden label inside a scrolling table stays inside it
    await page.goto(live_server + s.page("/centres"))
    await page.get_by_label("Département").select_option("33")
    await page.get_by_label("Type d'examen").select_option("voiture")
    await page.get_by_role("button", name="Rechercher").click()
    assert await page.get_by_role("button", name="Ajouter Centre d'examen 33 voiture n° 1 aux favoris").is_visible()
    await _check(page, capsys, "centres")


async def test_sessions_search_and_booking_on_a_phone(live_server, page, ready, client, capsys):
    import datetime as dt

    r = await ready()
    s = r.s
    await _phone_login(page, live_server, s)
    await page.goto(live_server + s.page("/sessions"))
    await page.get_by_label("Type d'examen").select_option("voiture")
    await page.get_by_label("Un jour de la semaine voulue").fill((dt.date.today() + dt.timedelta(days=21)).isoformat())
    await page.get_by_role("button", name="Chercher").click()
    await page.wait_for_selector("text=session(s) libre(s)")
    await _check(page, capsys, "sessions de la semaine")
    await page.get_by_role("link", name="Réserver la session du").first.click()
    await page.get_by_label("Nom de l'élève").fill("durand")
    await page.get_by_role("button", name="Rechercher l'élève").click()
    await _check(page, capsys, "réservation (choix de l'élève)")
    await page.get_by_role("button", name="Réserver pour DURAND Léa Marie").click()
    await page.wait_for_url(f"{live_server}{s.page('/examens')}")
    assert await page.get_by_text("le dossier d'examen est créé").is_visible()
    assert await page.get_by_role("cell", name="DURAND Léa Marie", exact=True).is_visible()
    await _check(page, capsys, "dossiers d'examen")
    await page.get_by_role("link", name="Annuler l'examen de DURAND Léa Marie").click()
    await _check(page, capsys, "confirmation d'annulation")
    await page.get_by_role("button", name="Confirmer l'annulation").click()
    await page.wait_for_url(f"{live_server}{s.page('/examens')}")
    assert await page.get_by_text("Examen annulé").is_visible()
