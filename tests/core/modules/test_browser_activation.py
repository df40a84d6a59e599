"""In a real browser (Debian chromium through Playwright): the owner ticks a module for one office, sees
"Mon panier" (HT, TVA, TTC), validates and orders; the module's menu then appears in that office only."""

import asyncio
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest

from core.testing.fixtures import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not CHROMIUM.exists(), reason="apt-get install chromium")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(app):
    """The app served by uvicorn in a background thread on a free loopback port."""
    import uvicorn

    port = free_port()
    instance = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not instance.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)


def test_owner_orders_a_module_for_one_office_and_sees_its_menu_there_only(server, make_org):
    from playwright.sync_api import expect, sync_playwright

    org = asyncio.run(make_org("Auto-école Navigateur"))
    with httpx.Client(base_url=server) as api:
        token = api.post("/api/v1/auth/token", json={"email": org.owner_email, "password": PASSWORD}).json()["token"]
        api.post("/api/v1/offices", json={"name": "Annexe"}, headers={"Authorization": f"Bearer {token}"})

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page()
        page.set_default_timeout(15_000)
        page.goto(server + "/login")
        page.fill("#email", org.owner_email)
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/dashboard")

        page.click("nav >> text=Ma configuration")
        page.click("text=+ Gérer…")
        page.get_by_label("Module alpha — Auto-école Navigateur").check()
        dialog = page.locator("#cart-dialog")
        expect(dialog).to_be_visible()
        expect(dialog.locator(".total-ht")).to_have_text("71,00\u00a0€")
        expect(dialog.locator(".total-tva")).to_have_text("14,20\u00a0€")
        expect(dialog.locator(".total-ttc")).to_have_text("85,20\u00a0€")
        dialog.locator("text=Valider").click()
        page.wait_for_url("**/config/modules/checkout")
        page.click("button:has-text('Commander')")
        page.wait_for_url("**/config/orders/*")
        expect(page.locator("h1")).to_have_text("Commande n° 1")
        expect(page.locator(".total-ttc")).to_have_text("85,20\u00a0€")

        page.goto(server + "/dashboard")
        expect(page.locator("nav.sidebar")).to_contain_text("Menu alpha")
        page.select_option("#office_id", label="Annexe")
        page.wait_for_load_state("load")
        expect(page.locator("#office_id option:checked")).to_have_text("Annexe")
        expect(page.locator("nav.sidebar")).not_to_contain_text("Menu alpha")
        page.select_option("#office_id", label="Auto-école Navigateur")
        page.wait_for_load_state("load")
        page.click("nav >> text=Menu alpha")
        expect(page.locator("h1")).to_have_text("Page alpha")
        browser.close()
