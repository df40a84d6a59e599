"""API bodies for tenancy, one Struct per direction."""

from __future__ import annotations

import msgspec

from core.validation import Email, Id, Name, TimeZoneName, text

Role = text(20)
Address = text(2000)
Password = text(200)


class OfficeIn(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    address: Address = ""
    timezone: TimeZoneName = "Europe/Paris"


class OfficePatch(msgspec.Struct, forbid_unknown_fields=True):
    name: Name | None = None
    address: Address | None = None
    timezone: TimeZoneName | None = None


class OfficeOut(msgspec.Struct):
    id: int
    name: str
    address: str
    timezone: str
    active_modules: list[str] = []


class MemberIn(msgspec.Struct, forbid_unknown_fields=True):
    role: Role
    display_name: Name = ""
    email: Email | None = None
    password: Password | None = None
    office_ids: list[Id] = []


class MemberPatch(msgspec.Struct, forbid_unknown_fields=True):
    role: Role | None = None
    display_name: Name | None = None
    office_ids: list[Id] | None = None


class MemberOut(msgspec.Struct):
    id: int
    display_name: str
    role: str
    email: str | None
    office_ids: list[int]


class OrganisationIn(msgspec.Struct, forbid_unknown_fields=True):
    name: Name | None = None
    siret: text(20) | None = None  # type: ignore[valid-type]
    address: Address | None = None
    phone: text(40) | None = None  # type: ignore[valid-type]
    email: Email | None = None


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
