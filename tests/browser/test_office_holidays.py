"""Issue 13: an office's holiday policy has a page. In chromium, on a 390 px phone without horizontal overflow,
the owner opens the office's settings, sees it closed on public holidays by default, ticks Alsace-Moselle, and
the next closures then include Good Friday and 26 December; the API reads the same policy. The page passes
axe-core (WCAG 2.1 A/AA)."""

import pytest

from core.testing.fixtures import api_token, login
from tests.plugins.rdv_service_public.test_citizen_mobile import WCAG

pytestmark = pytest.mark.browser


async def test_owner_sets_alsace_moselle_on_the_office_page(live_server, page, make_org, client, capsys):
    from axe_playwright_python.async_playwright import Axe

    org = await make_org("Mairie de Saverne")
    await page.set_viewport_size({"width": 390, "height": 844})  # a phone: the staff layout stacks
    await page.goto(f"{live_server}/login")
    await page.get_by_label("Adresse e-mail").fill(org.owner_email)
    await page.get_by_label("Mot de passe").fill(org.password)
    await page.get_by_role("button", name="Se connecter").click()
    await page.wait_for_url(f"{live_server}/dashboard")
    await page.goto(f"{live_server}/config/offices/{org.office_id}")
    section = page.locator("#jours-feries")
    assert await section.get_by_role("heading", name="Jours fériés").is_visible()
    assert not await page.get_by_label("Ouvrir le bureau les jours fériés").is_checked()
    closures = section.locator(".holiday-list")
    assert "Noël" in await closures.inner_text() and "Vendredi saint" not in await closures.inner_text()
    await page.get_by_label("Bureau en Alsace-Moselle").check()
    await page.get_by_role("button", name="Enregistrer les jours fériés").click()
    await page.wait_for_url(f"{live_server}/config/offices/{org.office_id}#jours-feries")
    assert await page.get_by_text("Les jours fériés du bureau « ").is_visible()
    assert await page.get_by_label("Bureau en Alsace-Moselle").is_checked()
    text = await closures.inner_text()
    assert "Vendredi saint" in text and "Saint-Étienne : 26/12/" in text
    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{overflow} px of horizontal overflow at 390 px"
    results = await Axe().run(page, options={**WCAG, "resultTypes": ["violations"]})
    with capsys.disabled():
        print(f"\naxe-core office holidays: {results.violations_count} violation(s) A/AA")
    assert results.violations_count == 0, results.generate_report()

    headers = await api_token(client, org.owner_email)
    policy = await client.get(f"/api/v1/offices/{org.office_id}/calendars/holidays", headers=headers)
    assert policy.json() == {"office_id": org.office_id, "open_on_public_holidays": False, "alsace_moselle": True}

    await page.get_by_label("Ouvrir le bureau les jours fériés").check()
    await page.get_by_role("button", name="Enregistrer les jours fériés").click()
    await page.wait_for_url(f"{live_server}/config/offices/{org.office_id}#jours-feries")
    assert await page.get_by_text("Le bureau est ouvert les jours fériés").is_visible()


async def test_another_organisations_office_holidays_answer_404(client, make_org):
    mine, other = await make_org("Mairie A"), await make_org("Mairie B")
    await login(client, mine.owner_email)
    page = await client.get("/config/offices/" + str(mine.office_id))
    assert page.status_code == 200 and "Jours fériés" in page.text
    from core.testing.fixtures import CSRF_RE

    csrf = CSRF_RE.search(page.text).group(1)
    refused = await client.post(f"/config/offices/{other.office_id}/holidays",
                                data={"alsace_moselle": "1", "_csrf_token": csrf})
    assert refused.status_code == 404
    assert (await client.get(f"/config/offices/{other.office_id}")).status_code == 404
