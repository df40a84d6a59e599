"""Tenancy rules: organisations, offices, members and the last-owner protection."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from core import audit, db
from core.auth import token_cache
from core.auth.passwords import hash_password
from core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from core.tenancy.actor import Actor
from core.tenancy.roles import Role
from core.tenancy.tables import Member, MemberOffice, Office, Organisation, User
from core.tenancy.validation import Checker


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "organisation"


# -- users and organisations (CLI, demo, sign-up) ----------------------------------------------


async def create_user(email: str, password: str | None) -> User:
    check = Checker()
    email = check.email("email", email)
    if password is not None:
        check.password("password", password)
    check.done()
    if await User.exists().where(User.email == email):
        raise ValidationFailed.on("email", "Un compte existe déjà avec cette adresse e-mail.")
    user = User(email=email, password_hash=await hash_password(password) if password else "")
    await user.save()
    return user


async def user_by_email(email: str) -> User | None:
    return await User.objects().where(User.email == email.strip().lower()).first()


async def create_organisation(name: str, owner: User, owner_name: str, slug: str | None = None) -> Organisation:
    """A new organisation with one office named after it and `owner` as its gérant."""
    check = Checker()
    name = check.text("name", name, "Le nom de l'organisation")
    check.done()
    async with db.write_transaction():
        slug = slug or slugify(name)
        base, n = slug, 1
        while await Organisation.exists().where(Organisation.slug == slug):
            n += 1
            slug = f"{base}-{n}"
        organisation = Organisation(name=name, slug=slug)
        await organisation.save()
        office = Office(organisation=organisation.id, name=name)
        await office.save()
        member = Member(organisation=organisation.id, user=owner.id, display_name=owner_name, role=Role.owner)
        await member.save()
        await MemberOffice(organisation=organisation.id, member=member.id, office=office.id).save()
        await audit.record("organisation.created", organisation_id=organisation.id, actor_user_id=owner.id,
                           target=f"organisation:{organisation.id}", summary=f"Création de {name}")
    return organisation


async def memberships(user_id: int) -> list[dict]:
    """The organisations a user belongs to (as a member with a login), oldest first."""
    return await Member.select(
        Member.id, Member.role, Member.display_name, Member.organisation.id, Member.organisation.name,
    ).where(Member.user == user_id).order_by(Member.id).output(nested=True)


async def get_organisation(actor: Actor) -> dict[str, Any]:
    rows = await db.fetch("SELECT id, slug, name, siret, address, phone, email FROM core_organisation WHERE id = {}",
                          actor.organisation_id)
    return rows[0]


async def update_organisation(actor: Actor, name: str | None = None, siret: str | None = None,
                              address: str | None = None, phone: str | None = None,
                              email: str | None = None) -> Organisation:
    actor.require(Role.admin)
    organisation = await Organisation.objects().get(Organisation.id == actor.organisation_id)
    check = Checker()
    if name is not None:
        organisation.name = check.text("name", name, "Le nom")
    if siret is not None:
        organisation.siret = check.siret("siret", siret)
    if email:
        organisation.email = check.email("email", email)
    elif email == "":
        organisation.email = ""
    if address is not None:
        organisation.address = address.strip()
    if phone is not None:
        organisation.phone = phone.strip()[:40]
    check.done()
    await organisation.save()
    return organisation


# -- offices -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OfficeInfo:
    """An office as listed in the shell and the API (a plain row: lists are on every page)."""

    id: int
    name: str
    address: str
    timezone: str


_OFFICES_SQL = "SELECT o.id, o.name, o.address, o.timezone FROM core_office o WHERE o.organisation = {}"
_ATTACHED_OFFICES_SQL = """
    SELECT o.id, o.name, o.address, o.timezone FROM core_office o
    JOIN core_member_office mo ON mo.office = o.id
    WHERE o.organisation = {} AND mo.member = {}
"""


def visible_offices_sql(actor: Actor) -> tuple[str, tuple[int, ...]]:
    """The unordered SELECT of the offices the actor sees (id, name, address, timezone) and its arguments, for
    reads that join more to the list in the same statement."""
    if actor.role.at_least(Role.admin):
        return _OFFICES_SQL, (actor.organisation_id,)
    return _ATTACHED_OFFICES_SQL, (actor.organisation_id, actor.member_id)


async def visible_offices(actor: Actor) -> list[OfficeInfo]:
    """Owners and admins see every office of the organisation, other members those they are attached to."""
    sql, args = visible_offices_sql(actor)
    return [OfficeInfo(*row) for row in await db.fetch_tuples(sql + " ORDER BY o.id", *args)]


async def get_office(actor: Actor, office_id: object) -> Office:
    office = await actor.scope.get(Office, office_id)
    if not actor.role.at_least(Role.admin) and not await MemberOffice.exists().where(
        (MemberOffice.member == actor.member_id) & (MemberOffice.office == office.id)
    ):
        raise NotFound()
    return office


async def save_office(actor: Actor, name: str | None, address: str | None, timezone: str | None,
                      office: Office | None = None) -> Office:
    actor.require(Role.admin)
    check = Checker()
    if office is None or name is not None:
        name = check.text("name", name, "Le nom du bureau")
    if office is None or timezone is not None:
        timezone = check.timezone("timezone", timezone)
    check.done()
    created = office is None
    office = office or Office(organisation=actor.organisation_id)
    if name is not None:
        office.name = name
    if timezone is not None:
        office.timezone = timezone
    if address is not None:
        office.address = address.strip()
    async with db.write_transaction():
        await office.save()
        if created:
            await audit.record("office.created", organisation_id=actor.organisation_id, actor_user_id=actor.user_id,
                               target=f"office:{office.id}", summary=f"Création du bureau {office.name}")
    return office


# -- members -----------------------------------------------------------------------------------


async def list_members(actor: Actor) -> list[dict]:
    rows = await actor.scope.select(
        Member, Member.id, Member.display_name, Member.role, Member.user.email.as_alias("email")
    ).order_by(Member.id)
    links = await actor.scope.select(MemberOffice, MemberOffice.member, MemberOffice.office)
    offices: dict[int, list[int]] = {}
    for link in links:
        offices.setdefault(link["member"], []).append(link["office"])
    for row in rows:
        row["office_ids"] = sorted(offices.get(row["id"], []))
    return rows


async def get_member(actor: Actor, member_id: object) -> dict:
    member = await actor.scope.get(Member, member_id)
    return next(row for row in await list_members(actor) if row["id"] == member.id)


def may_manage(actor: Actor, role: Role) -> bool:
    """Whether the actor may change or remove a member of that role (pages show nothing else)."""
    return actor.role.at_least(Role.admin) and (role is not Role.owner or actor.role is Role.owner)


def _check_can_manage(actor: Actor, role: Role) -> None:
    actor.require(Role.admin)
    if role is Role.owner and actor.role is not Role.owner:
        raise Forbidden("Seul un gérant peut nommer ou modifier un gérant.")


async def _check_offices(actor: Actor, office_ids: list[int]) -> list[int]:
    ids = sorted(set(office_ids))
    if ids:
        found = await actor.scope.select(Office, Office.id).where(Office.id.is_in(ids))
        if len(found) != len(ids):
            raise ValidationFailed.on("office_ids", "Un des bureaux choisis n'existe pas.")
    return ids


EXISTING_ACCOUNT = ("Cette personne a déjà un compte Socle : elle rejoindra l'organisation après avoir accepté "
                    "l'invitation envoyée par e-mail.")


@dataclass(slots=True)
class MemberDraft:
    """A checked request to add a member; `user` is the existing account behind the email, if any."""

    role: Role
    display_name: str
    email: str | None
    password: str | None
    office_ids: list[int]
    user: User | None


async def draft_member(actor: Actor, role: str, display_name: str = "", email: str | None = None,
                       password: str | None = None, office_ids: list[int] | None = None) -> MemberDraft:
    """Check a member to add. Intervenants are a name only; others need an email (and get a login)."""
    check = Checker()
    parsed_role = check.role("role", role)
    if parsed_role is Role.intervenant:
        display_name = check.text("display_name", display_name, "Le nom de l'intervenant")
        if email:
            check.add("email", "Un intervenant n'a pas d'adresse e-mail ni de connexion.")
    else:
        email = check.email("email", email)
        display_name = (display_name or "").strip() or email.split("@")[0]
        if password:
            check.password("password", password)
    check.done()
    _check_can_manage(actor, parsed_role)
    offices = await _check_offices(actor, office_ids or [])
    user = await user_by_email(email) if email and parsed_role is not Role.intervenant else None
    if user is not None and await Member.exists().where(
        (Member.organisation == actor.organisation_id) & (Member.user == user.id)
    ):
        raise ValidationFailed.on("email", "Cette personne fait déjà partie de l'organisation.")
    return MemberDraft(parsed_role, display_name, email, password, offices, user)


async def add_membership(organisation_id: int, user_id: int | None, display_name: str, role: Role,
                         office_ids: list[int]) -> Member:
    """The member row and its office links (callers checked everything and hold a write transaction)."""
    member = Member(organisation=organisation_id, user=user_id, display_name=display_name, role=role)
    await member.save()
    for office_id in office_ids:
        await MemberOffice(organisation=organisation_id, member=member.id, office=office_id).save()
    return member


async def create_member(actor: Actor, draft: MemberDraft) -> tuple[Member, bool]:
    """Add a drafted member with a new account (or none, for an intervenant). An existing account is never
    attached here: it must accept an invitation (core.tenancy.invitations)."""
    if draft.user is not None:
        raise ValidationFailed.on("email", EXISTING_ACCOUNT)
    password_hash = await hash_password(draft.password) if draft.password else ""
    async with db.write_transaction():
        user, created = None, False
        if draft.role is not Role.intervenant:
            if await user_by_email(draft.email or ""):  # created meanwhile
                raise ValidationFailed.on("email", EXISTING_ACCOUNT)
            user = User(email=draft.email, password_hash=password_hash)
            await user.save()
            created = True
        member = await add_membership(actor.organisation_id, user.id if user else None, draft.display_name,
                                      draft.role, draft.office_ids)
        await audit.record("member.invited", organisation_id=actor.organisation_id, actor_user_id=actor.user_id,
                           target=f"member:{member.id}", details={"role": draft.role.value},
                           summary=f"Invitation de {draft.display_name} ({draft.role.label})")
    return member, created


async def invite_member(actor: Actor, role: str, display_name: str = "", email: str | None = None,
                        password: str | None = None, office_ids: list[int] | None = None) -> tuple[Member, bool]:
    """Add a member with a new account, or an intervenant. Returns the member and whether a user account was
    created (the caller then sends the invitation with a link to choose a password). An email that already
    has an account is refused here: use `core.tenancy.invitations.add_member`, which asks that person first."""
    return await create_member(actor, await draft_member(actor, role, display_name, email, password, office_ids))


async def _owner_count(organisation_id: int) -> int:
    return await Member.count().where((Member.organisation == organisation_id) & (Member.role == Role.owner))


async def update_member(actor: Actor, member_id: object, role: str | None = None,
                        display_name: str | None = None, office_ids: list[int] | None = None) -> Member:
    check = Checker()
    new_role = check.role("role", role) if role is not None else None
    if display_name is not None:
        display_name = check.text("display_name", display_name, "Le nom")
    check.done()
    actor.require(Role.admin)
    offices = await _check_offices(actor, office_ids) if office_ids is not None else None
    async with db.write_transaction():
        await db.lock_row(Organisation, actor.organisation_id)  # the owner count below must not race
        member = await actor.scope.get(Member, member_id)
        old_role = Role(member.role)
        if new_role is not None and new_role is not old_role:
            _check_can_manage(actor, old_role)
            _check_can_manage(actor, new_role)
            if (new_role is Role.intervenant) != (old_role is Role.intervenant):
                raise ValidationFailed.on("role", "Un intervenant ne peut pas devenir un agent avec connexion, "
                                                  "ni l'inverse : créez un nouveau membre.")
            if old_role is Role.owner and await _owner_count(actor.organisation_id) <= 1:
                raise Conflict("Impossible de rétrograder le dernier gérant de l'organisation.")
            member.role = new_role
            await audit.record("member.role_changed", organisation_id=actor.organisation_id,
                               actor_user_id=actor.user_id, target=f"member:{member.id}",
                               details={"from": old_role.value, "to": new_role.value},
                               summary=f"{member.display_name} : {old_role.label} → {new_role.label}")
        elif old_role is Role.owner:
            _check_can_manage(actor, old_role)
        if display_name is not None:
            member.display_name = display_name
        await member.save()
        if offices is not None:
            await MemberOffice.delete().where(MemberOffice.member == member.id)
            for office_id in offices:
                await MemberOffice(organisation=actor.organisation_id, member=member.id, office=office_id).save()
    token_cache.forget_all()  # the member's tokens now act with the new role and name
    return member


async def remove_member(actor: Actor, member_id: object) -> None:
    actor.require(Role.admin)
    async with db.write_transaction():
        await db.lock_row(Organisation, actor.organisation_id)
        member = await actor.scope.get(Member, member_id)
        role = Role(member.role)
        _check_can_manage(actor, role)
        if role is Role.owner and await _owner_count(actor.organisation_id) <= 1:
            raise Conflict("Impossible de retirer le dernier gérant de l'organisation.")
        await MemberOffice.delete().where(MemberOffice.member == member.id)
        await Member.delete().where(Member.id == member.id)
        await audit.record("member.removed", organisation_id=actor.organisation_id, actor_user_id=actor.user_id,
                           target=f"member:{member.id}", summary=f"Retrait de {member.display_name}")
    token_cache.forget_all()  # the removed member's tokens stop at once
