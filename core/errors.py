"""Domain errors. Services raise these; `core.web.errors` maps them to HTML pages and JSON bodies.

Every message is French: it is shown to the user as is.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    message: str


class SocleError(Exception):
    status_code = 400
    default_message = "La demande ne peut pas être traitée."

    def __init__(self, message: str | None = None, errors: list[FieldError] | None = None) -> None:
        self.message = message or self.default_message
        self.errors = errors or []
        super().__init__(self.message)


class ValidationFailed(SocleError):
    status_code = 422
    default_message = "Certaines informations sont invalides."

    @classmethod
    def on(cls, field: str, message: str) -> ValidationFailed:
        return cls(message, [FieldError(field, message)])


class NotAuthenticated(SocleError):
    status_code = 401
    default_message = "Vous devez vous connecter."


class Forbidden(SocleError):
    status_code = 403
    default_message = "Vous n'avez pas les droits nécessaires pour cette action."


class NotFound(SocleError):
    status_code = 404
    default_message = "Cette page ou cette ressource n'existe pas."


class Conflict(SocleError):
    status_code = 409
    default_message = "Cette action entre en conflit avec l'état actuel."


class Unavailable(SocleError):
    status_code = 503
    default_message = "Ce service est momentanément indisponible."


class TooManyRequests(SocleError):
    status_code = 429
    default_message = "Trop de tentatives. Réessayez dans quelques minutes."
