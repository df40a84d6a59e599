"""In a real browser (Debian chromium through Playwright): the owner ticks a module for one office, sees
"Mon panier" (HT, TVA, TTC), validates and orders; the module's menu then appears in that office only."""

import httpx
import pytest
from playwright.async_api import expect

from core.testing.fixtures import PASSWORD

pytestmark = pytest.mark.browser


async def test_owner_orders_a_module_for_one_office_and_sees_its_menu_there_only(live_server, page, make_org):
    org = await make_org("Auto-école Navigateur")
    async with httpx.AsyncClient(base_url=live_server) as api:
        token = (await api.post("/api/v1/auth/token", json={"email": org.owner_email, "password": PASSWORD}))
        await api.post("/api/v1/offices", json={"name": "Annexe"},
                       headers={"Authorization": f"Bearer {token.json()['token']}"})

    page.set_default_timeout(15_000)
    await page.goto(live_server + "/login")
    await page.fill("#email", org.owner_email)
    await page.fill("#password", PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_url("**/dashboard")

    await page.click("nav >> text=Ma configuration")
    await page.click("text=+ Gérer…")
    await page.get_by_label("Module alpha — Auto-école Navigateur").check()
    dialog = page.locator("#cart-dialog")
    await expect(dialog).to_be_visible()
    await expect(page.locator("#cart-count")).to_have_text("1")  # the counter follows the cart (12.11)
    await expect(dialog.locator(".total-ht")).to_have_text("71,00\u00a0€")
    await expect(dialog.locator(".total-tva")).to_have_text("14,20\u00a0€")
    await expect(dialog.locator(".total-ttc")).to_have_text("85,20\u00a0€")
    await dialog.locator("text=Valider").click()
    await page.wait_for_url("**/config/modules/checkout")
    await page.click("button:has-text('Commander')")
    await page.wait_for_url("**/config/orders/*")
    await expect(page.locator("h1")).to_have_text("Commande n° 1")
    await expect(page.locator(".total-ttc")).to_have_text("85,20\u00a0€")
    await expect(page.locator("#cart-count")).to_have_text("0")
    order_url = page.url  # the header's office switcher works on the order page (12.1)
    await expect(page.locator("#office_id option")).to_have_text(["Auto-école Navigateur", "Annexe"])
    async with page.expect_navigation():
        await page.select_option("#office_id", label="Annexe")
    assert page.url == order_url
    await expect(page.locator("h1")).to_have_text("Commande n° 1")
    await expect(page.locator("#office_id option:checked")).to_have_text("Annexe")
    async with page.expect_navigation():
        await page.select_option("#office_id", label="Auto-école Navigateur")

    await page.goto(live_server + "/dashboard")
    await expect(page.locator("nav.sidebar")).to_contain_text("Menu alpha")
    await page.select_option("#office_id", label="Annexe")
    await page.wait_for_load_state("load")
    await expect(page.locator("#office_id option:checked")).to_have_text("Annexe")
    await expect(page.locator("nav.sidebar")).not_to_contain_text("Menu alpha")
    await page.select_option("#office_id", label="Auto-école Navigateur")
    await page.wait_for_load_state("load")
    await page.click("nav >> text=Menu alpha")
    await expect(page.locator("h1")).to_have_text("Page alpha")
