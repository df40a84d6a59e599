"""The OpenAPI document tells the truth: every operation's error answers `{"detail", "errors"}` (400, 401,
403, 404, 409, 422 and 429 where they occur), the bearer token scheme, and `Moment`/`Day` as ISO strings."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Litestar
from litestar.openapi import OpenAPIConfig, ResponseSpec
from litestar.openapi.spec import Components, Schema, SecurityScheme
from litestar.plugins import OpenAPISchemaPlugin
from litestar.typing import FieldDefinition

from core.validation import FIRST_YEAR, LAST_YEAR, Day, Moment


class FieldErrorOut(msgspec.Struct):
    field: str
    message: str


class ErrorOut(msgspec.Struct):
    """Every error of the API: a French `detail` and, for bad input, one entry per field."""

    detail: str
    errors: list[FieldErrorOut]


ERRORS = {
    400: "Requête mal formée (corps JSON illisible) ; `errors` nomme le champ `body`.",
    401: "Authentification requise : jeton `Authorization: Bearer …` absent, invalide ou révoqué.",
    403: "Rôle insuffisant pour cette action.",
    404: "Ressource introuvable, d'une autre organisation, ou module non activé pour ce bureau.",
    409: "Conflit avec l'état actuel (créneau pris, dernier gérant…).",
    422: "Données invalides ; `errors` nomme chaque champ refusé.",
    429: "Trop de tentatives.",
}
PUBLIC_PATHS = {("POST", "/api/v1/auth/token")}


def openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="Socle", version="1", path="/schema",
        components=Components(security_schemes={"bearer": SecurityScheme(
            type="http", scheme="bearer", description="Jeton obtenu par POST /api/v1/auth/token.")}),
        security=[{"bearer": []}])


def declare_errors(app: Litestar) -> None:
    """Give every API operation its error answers (before the schema is first built)."""
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            if "/api/" not in route.path:
                continue
            methods = {str(m) for m in getattr(handler, "http_methods", ())}
            public = route.path.startswith("/public/") or any((m, route.path) in PUBLIC_PATHS for m in methods)
            codes = [400, 401, 404, 409, 422, 429] if public else [400, 401, 403, 404, 409, 422]
            declared: dict[int, ResponseSpec] = dict(handler.responses or {})
            for code in codes:
                declared.setdefault(code, ResponseSpec(ErrorOut, description=ERRORS[code]))
            handler.responses = declared


class IsoDatesSchema(OpenAPISchemaPlugin):
    """`Moment` and `Day` are ISO 8601 strings in the schema (their year bounds said in the description)."""

    @staticmethod
    def is_plugin_supported_type(value: Any) -> bool:
        return value in (Moment, Day)

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: Any) -> Schema:
        kind = "date-time" if field_definition.annotation is Moment else "date"
        return Schema(type="string", format=kind, description=f"Années {FIRST_YEAR} à {LAST_YEAR}.")
