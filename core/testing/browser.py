"""Browser-test fixtures: the app served by uvicorn on a free loopback port, and a Playwright page on the
Debian chromium (no browser download). The server runs in the test's own event loop, so the test's factories
and the app share one database pool (an asyncpg pool belongs to the loop that opened it)."""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
import uvicorn

from core.testing.postgres import free_port

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
async def live_server(app: Any) -> AsyncIterator[str]:
    """The test's app served over real HTTP; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    for hook in app.on_startup:
        await app._call_lifespan_hook(hook)
    task = asyncio.create_task(server.serve())
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            if time.monotonic() > deadline or task.done():
                raise RuntimeError("le serveur de test n'a pas démarré")
            await asyncio.sleep(0.02)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
        for hook in reversed(app.on_shutdown):
            await app._call_lifespan_hook(hook)


def _is_csp_violation(text: str) -> bool:
    return "Content Security Policy" in text or "Content-Security-Policy" in text


@pytest.fixture
async def page() -> AsyncIterator[Any]:
    """A Playwright page in headless Debian chromium, French locale. The test fails when the browser reports a
    Content-Security-Policy violation (an inline script, style attribute or handler a template still has);
    `page.csp_violations` lists them as they come."""
    from playwright.async_api import async_playwright

    executable = shutil.which("chromium") or "/usr/bin/chromium"
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        context = await browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 800})
        violations: list[str] = []
        context.on("console", lambda message: violations.append(message.text)
                   if _is_csp_violation(message.text) else None)
        try:
            page = await context.new_page()
            page.csp_violations = violations
            yield page
        finally:
            await context.close()
            await browser.close()
        assert not violations, "violations de la Content-Security-Policy :\n" + "\n".join(violations)
