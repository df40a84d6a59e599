"""What a settings Struct looks like as a form: one `FieldSpec` per field, read with `msgspec.inspect`.

Supported field types: str, int, float, bool, Literal[...] and Enum (optionally `| None`), each possibly
annotated with `msgspec.Meta(title=..., description=..., ge=..., max_length=...)`, plus the flags `SECRET`
(a str stored sealed and never shown back) and `PER_ORGANISATION` (set once for the organisation; an office
may override it). Other types are kept as stored but not shown on the generated page.
"""

from __future__ import annotations

import enum
import typing
from dataclasses import dataclass
from typing import Any, Literal

import msgspec
from msgspec import inspect as mi

SECRET = msgspec.Meta(extra={"secret": True})
PER_ORGANISATION = msgspec.Meta(extra={"organisation": True})


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str  # the JSON / form name (the Struct's encode name)
    attr: str  # the Python attribute name
    label: str
    help: str
    kind: str  # "text" | "number" | "decimal" | "checkbox" | "select" | "other"
    optional: bool
    choices: tuple[str, ...]
    constraints: mi.Type
    default: Any
    secret: bool = False  # annotated with SECRET: stored sealed, shown masked
    organisation: bool = False  # annotated with PER_ORGANISATION: set once per organisation, offices may override


def _unwrap(type_: mi.Type) -> tuple[mi.Type, dict[str, Any], bool]:
    """The inner type, its extra JSON schema (title, description) and Socle flags, and whether None is allowed."""
    extra: dict[str, Any] = {}
    while isinstance(type_, mi.Metadata):
        extra.update(type_.extra_json_schema or {})
        extra.update({f"socle_{k}": v for k, v in (type_.extra or {}).items()})
        type_ = type_.type
    if isinstance(type_, mi.UnionType):
        others = [t for t in type_.types if not isinstance(t, mi.NoneType)]
        if len(others) == 1 and len(others) < len(type_.types):
            inner, more, _ = _unwrap(others[0])
            return inner, {**extra, **more}, True
    return type_, extra, False


def _kind(type_: mi.Type) -> tuple[str, tuple[str, ...]]:
    if isinstance(type_, mi.BoolType):
        return "checkbox", ()
    if isinstance(type_, mi.IntType):
        return "number", ()
    if isinstance(type_, mi.FloatType):
        return "decimal", ()
    if isinstance(type_, mi.StrType):
        return "text", ()
    if isinstance(type_, mi.LiteralType):
        return "select", tuple(str(v) for v in type_.values)
    if isinstance(type_, mi.EnumType):
        return "select", tuple(str(member.value) for member in type_.cls)
    return "other", ()


def _declared_literals(annotation: Any) -> tuple[str, ...]:
    """Literal values in declaration order (msgspec.inspect sorts them)."""
    if typing.get_origin(annotation) is Literal:
        return tuple(str(v) for v in typing.get_args(annotation))
    for arg in typing.get_args(annotation):
        if found := _declared_literals(arg):
            return found
    return ()


def humanize(name: str) -> str:
    text = name.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def field_specs(struct: type[msgspec.Struct]) -> list[FieldSpec]:
    info = mi.type_info(struct)
    assert isinstance(info, mi.StructType), f"{struct!r} is not a msgspec Struct"
    hints = typing.get_type_hints(struct, include_extras=True)
    specs = []
    for field in info.fields:
        inner, extra, optional = _unwrap(field.type)
        kind, choices = _kind(inner)
        if isinstance(inner, mi.LiteralType):
            choices = _declared_literals(hints.get(field.name)) or choices
        default = field.default if field.default is not mi.NODEFAULT else (
            field.default_factory() if field.default_factory is not mi.NODEFAULT else None)
        specs.append(FieldSpec(field.encode_name, field.name, str(extra.get("title") or humanize(field.name)),
                               str(extra.get("description") or ""), kind, optional, choices, inner, default,
                               secret=bool(extra.get("socle_secret")) and kind == "text",
                               organisation=bool(extra.get("socle_organisation"))))
    return specs


def missing_defaults(struct: type[msgspec.Struct]) -> list[str]:
    """Fields without a default (a settings Struct must be buildable with no stored value)."""
    info = mi.type_info(struct)
    assert isinstance(info, mi.StructType)
    return [f.name for f in info.fields if f.required]


def display_value(spec: FieldSpec, value: Any) -> Any:
    """A Struct value as the form shows it."""
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        return str(value.value)
    return value if spec.kind == "checkbox" else str(value)


def french_error(spec: FieldSpec, value: Any, detail: str) -> str:
    """A French message for a value msgspec refused (`detail` is msgspec's English message)."""
    c = spec.constraints
    if spec.kind == "select":
        return "Choisissez une des valeurs proposées : " + ", ".join(spec.choices) + "."
    if spec.kind == "checkbox":
        return "Valeur oui/non attendue."
    if spec.kind in ("number", "decimal"):
        if isinstance(value, bool) or ", got " in detail:
            return "Saisissez un nombre entier." if spec.kind == "number" else "Saisissez un nombre."
        low = getattr(c, "ge", None) if getattr(c, "ge", None) is not None else getattr(c, "gt", None)
        high = getattr(c, "le", None) if getattr(c, "le", None) is not None else getattr(c, "lt", None)
        if low is not None and high is not None:
            return f"Saisissez un nombre entre {low} et {high}."
        if low is not None:
            return f"Saisissez un nombre supérieur ou égal à {low}."
        if high is not None:
            return f"Saisissez un nombre inférieur ou égal à {high}."
        return "Ce nombre n'est pas accepté."
    if spec.kind == "text":
        if not isinstance(value, str):
            return "Saisissez un texte."
        if "length" in detail:
            low, high = getattr(c, "min_length", None), getattr(c, "max_length", None)
            if low and high:
                return f"Saisissez entre {low} et {high} caractères."
            if high is not None:
                return f"Saisissez au plus {high} caractères."
            return f"Saisissez au moins {low} caractère(s)."
        if "pattern" in detail:
            return "Le format de ce texte n'est pas valide."
    return "Valeur invalide."
