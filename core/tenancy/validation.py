"""Field checks shared by the tenancy forms and API (French messages naming the field)."""

from __future__ import annotations

import re

from core.errors import FieldError, ValidationFailed
from core.tenancy.roles import Role
from core.validation import valid_timezone

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Checker:
    """Collects field errors, then raises them all at once."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, field: str, message: str) -> None:
        self.errors.append(FieldError(field, message))

    def text(self, field: str, value: str | None, label: str, max_length: int = 200) -> str:
        value = (value or "").strip()
        if not value:
            self.add(field, f"{label} est obligatoire.")
        elif len(value) > max_length:
            self.add(field, f"{label} ne doit pas dépasser {max_length} caractères.")
        return value

    def email(self, field: str, value: str | None) -> str:
        value = (value or "").strip().lower()
        if not EMAIL_RE.match(value) or len(value) > 254:
            self.add(field, "Adresse e-mail invalide.")
        return value

    def timezone(self, field: str, value: str | None) -> str:
        value = (value or "Europe/Paris").strip()
        if not valid_timezone(value):
            self.add(field, f"Fuseau horaire inconnu : {value[:64]}.")
        return value

    def role(self, field: str, value: str | None) -> Role:
        try:
            return Role(value or "")
        except ValueError:
            self.add(field, "Rôle inconnu (intervenant, basic, admin ou owner).")
            return Role.basic

    def siret(self, field: str, value: str | None) -> str | None:
        value = (value or "").replace(" ", "")
        if value and not (value.isdigit() and len(value) == 14):
            self.add(field, "Le SIRET compte 14 chiffres.")
        return value or None

    def password(self, field: str, value: str | None) -> str:
        value = value or ""
        if len(value) < 8:
            self.add(field, "Le mot de passe doit contenir au moins 8 caractères.")
        return value

    def done(self) -> None:
        if self.errors:
            message = self.errors[0].message if len(self.errors) == 1 else "Certaines informations sont invalides."
            raise ValidationFailed(message, self.errors)
