"""Security headers on every response: pages, API, errors, static files, the OpenAPI page.

Added by the app's outermost wrapper (core.ops.logs.RequestIdMiddleware, around routing), so nothing (a 404
before routing, an exception page, a plugin route) escapes it. Pages get a Content-Security-Policy without
`'unsafe-inline'`: scripts and styles come from /static, and the few `<script>`/`<style>` elements a
template needs carry `nonce="{{ csp_nonce() }}"` (drawn per response, only when a template asks for it).
Inline `style=` attributes and `on…=` handlers are refused by browsers under this policy: use classes,
`data-confirm` / `data-autosubmit` (static/socle.js), or rules in a nonce'd `<style>`. The API answers JSON
only, under `default-src 'none'`. The OpenAPI viewer at /schema loads its scripts from a CDN with inline
code: it alone gets a looser policy.
"""

from __future__ import annotations

import secrets
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context

NONCE_KEY = "socle_csp_nonce"

_COMMON = "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
_PAGE = ("default-src 'self'; img-src 'self' data:; form-action 'self'; " + _COMMON
         + "; script-src 'self'{n}; style-src 'self'{n}")
_API = "default-src 'none'; " + _COMMON
_DOCS = ("default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://cdn.redoc.ly "
         "https://unpkg.com; style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://unpkg.com "
         "https://fonts.googleapis.com; font-src 'self' data: https://fonts.gstatic.com; img-src 'self' data: https:; "
         "worker-src 'self' blob:; " + _COMMON)
HSTS = "max-age=31536000; includeSubDomains"


def nonce_for(scope: Any) -> str:
    """The response's CSP nonce, drawn on first use (a page that never asks for one sends none)."""
    nonce = scope.get(NONCE_KEY)
    if nonce is None:
        nonce = scope[NONCE_KEY] = secrets.token_urlsafe(16)
    return str(nonce)


@pass_context
def csp_nonce(context: Context) -> str:
    """Jinja global: `<style nonce="{{ csp_nonce() }}">`. Empty outside a request (emails)."""
    request = context.get("request")
    return nonce_for(request.scope) if request is not None else ""


def _encode(pairs: list[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    return [(name.encode(), value.encode()) for name, value in pairs]


class SecurityHeaders:
    """`before_send` hook adding the headers to each response start. `https`: the base URL is https (HSTS)."""

    def __init__(self, https: bool) -> None:
        common = [("x-content-type-options", "nosniff"), ("referrer-policy", "same-origin"),
                  ("x-frame-options", "DENY")]
        if https:
            common.append(("strict-transport-security", HSTS))
        self._common = _encode(common)
        self._api = _encode([("content-security-policy", _API)]) + self._common
        self._docs = _encode([("content-security-policy", _DOCS)]) + self._common
        self._page = _encode([("content-security-policy", _PAGE.format(n=""))]) + self._common

    def headers_for(self, scope: Any) -> list[tuple[bytes, bytes]]:
        path: str = scope.get("path", "")
        if path.startswith("/api/"):
            return self._api
        if path == "/schema" or (path.startswith("/schema/") and not path.endswith((".json", ".yaml", ".yml"))):
            return self._docs
        nonce = scope.get(NONCE_KEY)
        if nonce is None:
            return self._page
        policy = _PAGE.format(n=f" 'nonce-{nonce}'")
        return [(b"content-security-policy", policy.encode()), *self._common]

    async def __call__(self, message: Any, scope: Any) -> None:
        if message["type"] != "http.response.start":
            return
        message["headers"] = [*message.get("headers", ()), *self.headers_for(scope)]  # never mutate a shared list
