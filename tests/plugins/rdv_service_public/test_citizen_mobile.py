"""A citizen on a 390 px phone, in chromium: the four steps and the recap fit the screen (no horizontal
scroll, fields ≥ 90 % of the card, the confirm button on one line), recall the chosen place with a way
back, show errors next to their fields, list slots a week at a time, and pass axe-core (WCAG 2.1 A/AA)."""

import re

import pytest

from tests.plugins.rdv_service_public.test_browser import _town

pytestmark = pytest.mark.browser
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
PUBLIC = "/public/o/mairie-de-saint-vallier/m/rdv_service_public"


async def _check(page, step, capsys):
    """No horizontal overflow, and no axe-core violation of level A or AA (printed in the test output)."""
    from axe_playwright_python.async_playwright import Axe

    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{step}: {overflow} px of horizontal overflow"
    results = await Axe().run(page, options={**WCAG, "resultTypes": ["violations"]})
    with capsys.disabled():
        print(f"\naxe-core {step}: {results.violations_count} violation(s) A/AA"
              + (f"\n{results.generate_snapshot()}" if results.violations_count else ""))
    assert results.violations_count == 0, results.generate_report()


async def _widths(page):
    return await page.evaluate("""() => {
        const card = document.querySelector('form.stack-form');
        const style = getComputedStyle(card);
        const inner = card.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        return [...card.querySelectorAll('input:not([type=hidden]), button')].map(
            e => [e.id || e.textContent.trim(), e.getBoundingClientRect().width / inner]);
    }""")


async def test_citizen_flow_at_390_px(live_server, page, make_org, add_member, capsys):
    from plugins.rdv_service_public.tables import Motif

    _, motif, _ = await _town(make_org, add_member)
    await Motif.update({Motif.users_may_change: True, Motif.rgpd_text: "Vos données servent uniquement à "
                        "gérer ce rendez-vous ; elles sont effacées trois mois après."}).where(Motif.id == motif.id)
    await page.set_viewport_size({"width": 390, "height": 844})

    await page.goto(f"{live_server}{PUBLIC}/")
    await _check(page, "étape 1 (motif)", capsys)
    skip = page.get_by_role("link", name="Aller au contenu")
    await page.keyboard.press("Tab")
    assert await skip.evaluate("e => e === document.activeElement")
    await page.get_by_role("link", name="Passeport").click()
    await _check(page, "étape 2 (lieu)", capsys)
    await page.get_by_role("link", name="Hôtel de ville").click()

    # step 3: the chosen place, a way back, one week of slots with the next week a click away
    await _check(page, "étape 3 (créneau)", capsys)
    assert "Hôtel de ville" in await page.locator("#chosen-place").inner_text()
    assert await page.get_by_role("link", name="← Changer de lieu").is_visible()
    title = await page.locator("#week-title").inner_text()
    days = await page.locator(".slots section").count()
    assert 1 <= days <= 7 and await page.locator("a.slot").count() <= 7 * 6
    await page.locator("#next-week").click()
    assert await page.locator("#week-title").inner_text() != title
    await page.locator("#previous-week").click()
    assert await page.locator("#week-title").inner_text() == title
    await page.locator("a.slot").first.click()

    # step 4: stacked, full-width fields; the place and time recalled; errors next to their fields
    await _check(page, "étape 4 (coordonnées)", capsys)
    assert "Hôtel de ville" in await page.locator("#chosen").inner_text()
    assert await page.get_by_role("link", name="← Choisir un autre créneau").is_visible()
    for name, ratio in await _widths(page):
        assert ratio >= 0.9, f"{name} is {ratio:.0%} of the card"
    label, field = await page.locator("label[for=citizen_name]").bounding_box(), \
        await page.locator("#citizen_name").bounding_box()
    assert field["y"] >= label["y"] + label["height"] - 1  # the label sits above its field
    button = page.get_by_role("button", name="Confirmer le rendez-vous")
    lines = await button.evaluate("e => { const r = document.createRange(); r.selectNodeContents(e);"
                                  " return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; }")
    assert lines == 1
    assert await page.locator("#citizen_phone").get_attribute("type") == "tel"
    assert await page.locator("#citizen_phone").get_attribute("autocomplete") == "tel"

    await page.locator("form.stack-form").evaluate("f => f.noValidate = true")  # let the server answer
    await page.get_by_label("Téléphone portable").fill("06 12 34 56 78")
    await button.click()
    await page.wait_for_selector("#form-errors")
    await _check(page, "étape 4 avec erreurs", capsys)
    email = page.locator("#citizen_email")
    assert await email.get_attribute("aria-invalid") == "true"
    assert "citizen_email-error" in await email.get_attribute("aria-describedby")
    assert await page.locator("#citizen_email-error").inner_text() == "L'adresse e-mail est obligatoire."
    assert await page.locator("#citizen_phone").input_value() == "06 12 34 56 78"  # what was typed stays
    assert await page.locator("#citizen_phone").get_attribute("aria-invalid") is None
    await page.get_by_label("Nom et prénom").fill("Camille Petit")
    await email.fill("camille@example.org")
    await page.get_by_role("button", name="Confirmer le rendez-vous").click()

    # the recap, then moving a week at a time and the redirect after the POST
    await page.wait_for_selector("#confirmed")
    await _check(page, "récapitulatif", capsys)
    await page.locator("#move").click()
    await _check(page, "déplacement", capsys)
    height = await page.evaluate("document.documentElement.scrollHeight")
    assert height < 4000, f"the move page is {height} px tall"
    await page.locator("#next-week").click()
    moved_to = await page.locator(".slots button.slot").first.get_attribute("aria-label")
    await page.locator(".slots button.slot").first.click()
    await page.wait_for_url(re.compile(r".*/rdv/[^/?]+\?fait=deplace$"))
    assert await page.locator("#notice").inner_text() == "Votre rendez-vous a été déplacé."
    assert moved_to.split(" à ")[1] in await page.locator("#recap").inner_text()
    await _check(page, "récapitulatif après déplacement", capsys)
