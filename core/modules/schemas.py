"""API bodies for modules, the cart and orders. Money is a decimal string ("1710.00")."""

from __future__ import annotations

from datetime import datetime

import msgspec

from core.validation import Id, text


class ModuleOut(msgspec.Struct):
    id: str
    title: str
    summary: str
    version: str
    price_ht: str
    billing: str
    status: str
    depends: list[str]
    error: str


class CartLineIn(msgspec.Struct, forbid_unknown_fields=True):
    office_id: Id
    module: text(60)  # type: ignore[valid-type]
    action: text(20) = "activate"  # type: ignore[valid-type]


class CartLineOut(msgspec.Struct):
    id: int
    office_id: int
    office_name: str
    module: str
    title: str
    action: str
    unit_ht: str
    ht: str
    tva: str
    ttc: str


class CartOut(msgspec.Struct):
    lines: list[CartLineOut]
    ht: str
    tva: str
    ttc: str


class OrderLineOut(msgspec.Struct):
    id: int
    office_id: int | None
    module: str
    action: str
    label: str
    unit_ht: str
    quantity: int
    vat_rate: str
    ht: str
    tva: str
    ttc: str


class OrderOut(msgspec.Struct):
    id: int
    number: int
    status: str
    created_at: datetime
    ht: str
    tva: str
    ttc: str
    lines: list[OrderLineOut] = []


class PurgeIn(msgspec.Struct, forbid_unknown_fields=True):
    confirmation: text(200)  # type: ignore[valid-type]  # the office's exact name
