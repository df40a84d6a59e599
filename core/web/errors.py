"""One place where domain errors become HTTP: JSON `{"detail", "errors"}` for /api, French pages otherwise."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote, urlsplit

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from core.errors import FieldError, NotAuthenticated, SocleError, ValidationFailed

log = logging.getLogger("socle.web")

HTTP_MESSAGES = {
    400: "La demande est mal formée.",
    401: "Vous devez vous connecter.",
    403: "Vous n'avez pas les droits nécessaires pour accéder à cette page.",
    404: "Cette page n'existe pas.",
    405: "Cette méthode n'est pas autorisée ici.",
    409: "Cette action entre en conflit avec l'état actuel.",
    413: "Le contenu envoyé est trop volumineux.",
    415: "Ce format n'est pas accepté.",
    422: "Certaines informations sont invalides.",
    429: "Trop de tentatives. Réessayez dans quelques minutes.",
    500: "Une erreur inattendue est survenue. L'équipe technique a été prévenue.",
}


def _is_api(request: Request[Any, Any, Any]) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def _json(status: int, detail: str, errors: list[FieldError]) -> Response[Any]:
    body = {"detail": detail, "errors": [{"field": e.field, "message": e.message} for e in errors]}
    return Response(body, status_code=status, media_type="application/json")


def _page(request: Request[Any, Any, Any], status: int, message: str) -> Response[Any]:
    try:
        return Template("errors/error.html", context={"status": status, "message": message,
                                                      "request": request}, status_code=status)
    except Exception:  # the error page itself must never fail
        return Response(message, status_code=status, media_type="text/plain; charset=utf-8")


def socle_error(request: Request[Any, Any, Any], exc: SocleError) -> Response[Any]:
    if _is_api(request):
        return _json(exc.status_code, exc.message, exc.errors)
    if isinstance(exc, NotAuthenticated):
        session = request.scope.get("session")
        if isinstance(session, dict) and session.get("uid"):  # signed in, but member of no organisation:
            return _page(request, 404, HTTP_MESSAGES[404])     # staff pages do not exist for them
        return Redirect(f"/login?next={quote(request.url.path)}")
    if request.method == "POST" and exc.status_code in (409, 422, 429):
        # A form with bad input: back to it with the message; nothing was written.
        for message in [e.message for e in exc.errors] or [exc.message]:
            flash(request, message, category="error")
        return Redirect(_same_site_path(request.headers.get("referer")) or "/dashboard")
    return _page(request, exc.status_code, exc.message)


def _same_site_path(referer: str | None) -> str | None:
    """The path of a Referer header (never another site's address)."""
    if not referer:
        return None
    parts = urlsplit(referer)
    return parts.path + (f"?{parts.query}" if parts.query else "") if parts.path.startswith("/") else None


def validation_error(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    errors = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if isinstance(item, dict):
            field = str(item.get("key") or item.get("source") or "body")
            errors.append(FieldError(field, str(item.get("message", "Valeur invalide."))))
    detail = "Certaines informations sont invalides."
    if not errors:
        errors.append(FieldError("body", _french_decode_message(str(exc.detail))))
    error = ValidationFailed(detail, errors)
    error.status_code = exc.status_code
    return socle_error(request, error)


def _french_decode_message(detail: str) -> str:
    return f"Contenu invalide : {detail}"


def http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    message = HTTP_MESSAGES.get(status, exc.detail)
    if _is_api(request):
        return _json(status, message, [])
    return _page(request, status, message)


def internal_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    message = HTTP_MESSAGES[500]
    if _is_api(request):
        return _json(HTTP_500_INTERNAL_SERVER_ERROR, message, [])
    return _page(request, HTTP_500_INTERNAL_SERVER_ERROR, message)


EXCEPTION_HANDLERS: dict[Any, Any] = {
    SocleError: socle_error,
    ValidationException: validation_error,
    HTTPException: http_error,
    Exception: internal_error,
}
