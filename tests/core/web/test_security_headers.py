"""Every response carries the security headers (pages, API, errors, static files); pages get a CSP without
'unsafe-inline', HSTS only behind https; no template relies on inline handlers or style attributes."""

import dataclasses
import re
from pathlib import Path

import pytest

from core.testing.fixtures import login

ROOT = Path(__file__).resolve().parents[3]


def assert_common(response, https: bool = False) -> str:
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-frame-options"] == "DENY"
    assert ("strict-transport-security" in headers) is https
    policy = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    assert len(headers.get_list("content-security-policy")) == 1
    return policy


@pytest.mark.parametrize("path, status", [
    ("/login", 200),
    ("/password/forgot", 200),
    ("/dashboard", 302),  # a redirect
    ("/page-inconnue", 404),  # an error before any route matched
    ("/static/socle.css", 200),
    ("/static/socle.js", 200),
])
async def test_pages_errors_and_static_files_carry_a_strict_policy(client, path, status):
    response = await client.get(path, follow_redirects=False)
    assert response.status_code == status
    policy = assert_common(response)
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "script-src 'self'" in policy and "style-src 'self'" in policy


@pytest.mark.parametrize("method, path, status", [
    ("GET", "/api/v1/offices", 401),
    ("GET", "/api/v1/inconnu", 404),
    ("POST", "/api/v1/auth/token", 400),
])
async def test_api_answers_carry_a_deny_all_policy(client, method, path, status):
    response = await client.request(method, path, content=b"{")
    assert response.status_code == status
    assert assert_common(response).startswith("default-src 'none'")


async def test_logged_in_pages_carry_the_headers(client, make_org):
    org = await make_org()
    await login(client, org.owner_email)
    for path in ("/dashboard", "/config", "/config/members/new"):
        response = await client.get(path)
        assert response.status_code == 200, path
        assert "unsafe-inline" not in assert_common(response)


async def test_the_openapi_viewer_alone_may_run_its_cdn_scripts(client):
    viewer = await client.get("/schema")
    assert "unsafe-inline" in assert_common(viewer)
    document = await client.get("/schema/openapi.json")
    assert "unsafe-inline" not in assert_common(document)


async def test_a_nonce_is_sent_only_with_the_page_that_uses_it(client, app):
    """A template's nonce'd <style> matches the response's policy; each response draws a new nonce."""
    environment = app.template_engine.engine
    template = environment.from_string('<style nonce="{{ csp_nonce() }}">p{}</style>')
    assert template.render() == '<style nonce="">p{}</style>'  # outside a request (emails): no nonce

    class Request:
        scope: dict = {}

    first = template.render(request=Request())
    nonce = re.search(r'nonce="([^"]+)"', first).group(1)
    assert Request.scope["socle_csp_nonce"] == nonce
    assert f"'nonce-{nonce}'" in app.asgi_handler.headers_for(Request.scope)[0][1].decode()
    assert b"nonce" not in app.asgi_handler.headers_for({"path": "/login"})[0][1]


class TestBehindHttps:
    @pytest.fixture
    def settings(self, settings):
        return dataclasses.replace(settings, base_url="https://socle.example")

    async def test_hsts_when_the_base_url_is_https(self, client):
        for path in ("/login", "/api/v1/offices", "/static/socle.css", "/page-inconnue"):
            response = await client.get(path)
            assert_common(response, https=True)
            assert response.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"


INLINE = re.compile(r"""\son[a-z]+\s*=|\sstyle\s*=|<script(?![^>]*\ssrc=)|<style(?![^>]*\snonce=)""", re.I)


def is_email(path: Path) -> bool:
    return (path.name == "_layout.html" and path.parent.name == "notify") or "notify/_layout.html" in path.read_text()


def page_templates() -> list[Path]:
    roots = [ROOT / "templates", *ROOT.glob("plugins/*/templates"), *ROOT.glob("examples/*/*/templates")]
    return sorted(p for r in roots for p in r.rglob("*.html") if not is_email(p))


@pytest.mark.parametrize("path", page_templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_have_no_inline_handler_script_or_style(path):
    """Emails (notify/_layout.html and what extends it) may style inline; pages may not: the CSP blocks it."""
    assert not INLINE.findall(path.read_text()), path
