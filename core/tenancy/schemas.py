"""API bodies for tenancy, one Struct per direction."""

from __future__ import annotations

import msgspec


class OfficeIn(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    address: str = ""
    timezone: str = "Europe/Paris"


class OfficePatch(msgspec.Struct, forbid_unknown_fields=True):
    name: str | None = None
    address: str | None = None
    timezone: str | None = None


class OfficeOut(msgspec.Struct):
    id: int
    name: str
    address: str
    timezone: str
    active_modules: list[str] = []


class MemberIn(msgspec.Struct, forbid_unknown_fields=True):
    role: str
    display_name: str = ""
    email: str | None = None
    password: str | None = None
    office_ids: list[int] = []


class MemberPatch(msgspec.Struct, forbid_unknown_fields=True):
    role: str | None = None
    display_name: str | None = None
    office_ids: list[int] | None = None


class MemberOut(msgspec.Struct):
    id: int
    display_name: str
    role: str
    email: str | None
    office_ids: list[int]


class OrganisationIn(msgspec.Struct, forbid_unknown_fields=True):
    name: str | None = None
    siret: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None


class OrganisationOut(msgspec.Struct):
    id: int
    slug: str
    name: str
    siret: str | None
    address: str
    phone: str
    email: str


class MeOut(msgspec.Struct):
    user_id: int
    email: str
    member_id: int
    display_name: str
    role: str
    organisation: OrganisationOut
    offices: list[OfficeOut]


class InvitationOut(msgspec.Struct):
    """An existing account asked to join (POST /members answers 202 with it): a member only once it accepts."""

    id: int
    display_name: str
    role: str
    email: str
    office_ids: list[int]
    status: str  # "pending" until the person answers
