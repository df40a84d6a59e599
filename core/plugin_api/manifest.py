"""What a plugin declares about itself: `MANIFEST = Manifest(...)` in its hooks module."""

from __future__ import annotations

import re
from decimal import Decimal
from enum import StrEnum
from typing import Any

import msgspec

from core.plugin_api.types import ProviderKind
from core.tenancy.roles import Role

PLUGIN_ID_RE = re.compile(r"^[a-z][a-z0-9_]{1,48}$")


class Billing(StrEnum):
    one_off = "one_off"  # paid once per office
    monthly = "monthly"  # per office and per month

    @property
    def label(self) -> str:
        return "par mois" if self is Billing.monthly else "forfait"


class Permission(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A permission a plugin defines: `name` is `<plugin id>.<action>`; `role` the lowest role holding it.
    With `granted=True` (API 1.2) the role is not enough: the member also needs a grant from the owner
    (« Ma configuration › Droits accordés »); the owner always holds it."""

    name: str
    label: str
    role: Role = Role.basic
    granted: bool = False


class Manifest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A plugin's identity card. `id` must equal the entry-point name (also the Piccolo app name, the URL
    segment and the permission namespace). `version` is read from the distribution when left empty."""

    id: str
    title: str
    summary: str = ""
    version: str = ""
    api: str = ">=1.0,<2"  # a PEP 440 specifier checked against PLUGIN_API_VERSION at load
    depends: tuple[str, ...] = ()
    price_ht: Decimal = Decimal("0.00")  # per office
    billing: Billing = Billing.one_off
    permissions: tuple[Permission, ...] = ()
    settings: Any = None  # a msgspec Struct type holding the plugin's per-office settings
    piccolo_app: str | None = None  # dotted path of the plugin's piccolo_app module
    templates: str | None = None  # folder holding templates/<id>/…; default: <package>/templates/<id>
    provider_kinds: tuple[ProviderKind, ...] = ()  # kinds of providers this module publishes (API 1.1)
    hookspecs: str | None = None  # dotted path of the module holding the hookspecs this module publishes (API 1.3)
    # the permission (one of `permissions`) a member needs to download this module's documents from
    # /documents/{id}: its role, and its grant when `granted=True` (API 1.4). None: `<id>.read` when declared,
    # else any member who sees the document's office.
    documents_permission: str | None = None
