"""Litestar's and msgspec's refusals of a parameter or a body, as field errors with French messages.

Litestar reports each refusal as `{"key", "message", "source"}`; the key is the parameter or the body field
("data" when the whole body is at fault, the offending field then being named in the message)."""

from __future__ import annotations

import re
from typing import Any

from core.errors import FieldError

BODY_UNREADABLE = "Le contenu envoyé n'est pas un JSON valide."

TYPES = {
    "int": "un nombre entier", "float": "un nombre", "number": "un nombre", "str": "un texte",
    "bool": "vrai ou faux (true/false)", "object": "un objet JSON", "array": "une liste", "null": "null",
    "datetime": "une date et heure ISO 8601", "date": "une date AAAA-MM-JJ", "time": "une heure HH:MM",
    "Moment": "une date et heure ISO 8601", "Day": "une date AAAA-MM-JJ",
}

_EXPECTED = re.compile(r"^Expected `([^`]+)`, got `([^`]+)`")
_BOUND = re.compile(r"^Expected `[^`]+` (>=|<=|>|<) (-?[0-9.e+]+)$")
_LENGTH = re.compile(r"^Expected `(str|array|object)` of length (>=|<=) ([0-9]+)$")
_PATTERN = re.compile(r"^Expected `str` matching regex")
_UNKNOWN = re.compile(r"^Object contains unknown field `([^`]+)`")
_MISSING = re.compile(r"^Object missing required field `([^`]+)`")
_MISSING_PARAM = re.compile(r"^Missing required (\w+) parameter '([^']+)'")


def _type(name: str) -> str:
    names = [TYPES.get(part.strip(), part.strip()) for part in name.split("|")]
    return " ou ".join(names)


def french(message: str) -> str:
    """A French sentence for a msgspec message (ours, already French, pass through)."""
    if match := _EXPECTED.match(message):
        return f"Valeur invalide : {_type(match.group(1))} est attendu."
    if match := _BOUND.match(message):
        sign, bound = match.groups()
        words = {">=": "supérieure ou égale à", "<=": "inférieure ou égale à", ">": "supérieure à",
                 "<": "inférieure à"}[sign]
        return f"La valeur doit être {words} {bound}."
    if match := _LENGTH.match(message):
        kind, sign, count = match.groups()
        unit = "caractère" if kind == "str" else "élément"
        plural = "s" if int(count) > 1 else ""
        if sign == "<=":
            return f"{count} {unit}{plural} au plus."
        return "Ce champ ne peut pas être vide." if count == "1" else f"{count} {unit}{plural} au moins."
    if _PATTERN.match(message):
        return "Format invalide."
    if message.startswith("Invalid enum value"):
        return "Valeur non autorisée."
    if message.startswith(("Invalid RFC3339", "Invalid ISO 8601")):
        return "Date ou heure invalide (format ISO 8601 attendu)."
    if message.startswith("Integer value out of range") or message.startswith("Number out of range"):
        return "Nombre hors limites."
    return message


def field_errors(extra: list[Any], detail: str) -> list[FieldError]:
    """One FieldError per refusal Litestar reported; `detail` names a missing parameter when `extra` is empty."""
    errors: list[FieldError] = []
    for item in extra:
        if not isinstance(item, dict):
            continue
        key = str(item.get("key") or "")
        message = str(item.get("message", ""))
        if message == repr(key):  # Litestar's KeyError for a value that is absent
            if key == "data":
                errors.append(FieldError("body", "Le corps de la requête est vide : un objet JSON est attendu."))
            continue  # a router's path parameter the handler does not take: not the caller's fault
        field = "body" if key in ("", "data") else key
        if match := _UNKNOWN.match(message):
            name = match.group(1)
            errors.append(FieldError(name if field == "body" else f"{field}.{name}", "Champ inconnu."))
        elif match := _MISSING.match(message):
            name = match.group(1)
            errors.append(FieldError(name if field == "body" else f"{field}.{name}", "Ce champ est obligatoire."))
        else:
            errors.append(FieldError(field, french(message)))
    if not errors and (match := _MISSING_PARAM.match(detail)):
        errors.append(FieldError(match.group(2), "Ce paramètre est obligatoire."))
    if not errors:
        errors.append(FieldError("body", "Certaines informations sont invalides."))
    return errors
