"""Invitations: the email a new member gets, and the consent an existing account gives before it joins.

A new account (or an intervenant) is added at once, as before. An email that already has a Socle account
(a member of another organisation, a citizen…) is never attached silently: the organisation records a
`MemberInvitation` and emails an accept link; the membership exists only once that person accepts.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from core import audit, db, notify
from core.auth import services as auth
from core.config import Settings
from core.errors import NotFound, ValidationFailed
from core.tenancy import services
from core.tenancy.actor import Actor
from core.tenancy.roles import Role
from core.tenancy.tables import Member, MemberInvitation, Office, Organisation, User

INVITATION_LIFETIME = timedelta(days=7)
PENDING = "pending"
INVALID_LINK = "Cette invitation n'est plus valable. Demandez à l'organisation de vous inviter de nouveau."


def _now() -> datetime:
    return datetime.now(UTC)


async def send_invitation(settings: Settings, actor: Actor, member: Member, new_account: bool) -> None:
    """Queue the welcome email of a member just created; call it in the transaction that creates the member."""
    if member.user is None:
        return
    user = await User.objects().get(User.id == member.user)
    organisation = await Organisation.objects().get(Organisation.id == actor.organisation_id)
    reset_link = None
    if new_account and not user.password_hash:
        started = await auth.start_password_reset(user.email)
        if started:
            reset_link = f"{settings.base_url}/password/reset/{started[1]}"
    await notify.enqueue_email(
        user.email, f"Invitation à rejoindre {organisation.name}", template="invitation",
        organisation_id=organisation.id, key=f"invitation:{member.id}",
        context={"member_name": member.display_name, "inviter": actor.display_name, "organisation": organisation.name,
                 "reset_link": reset_link, "login_link": f"{settings.base_url}/login"})


async def add_member(settings: Settings, actor: Actor, role: str, display_name: str = "", email: str | None = None,
                     password: str | None = None, office_ids: list[int] | None = None) -> Member | MemberInvitation:
    """What « Inviter un membre » does: a new account or an intervenant becomes a member now (with its email);
    an existing account gets an invitation to accept (the password typed by the admin is ignored)."""
    draft = await services.draft_member(actor, role, display_name, email, password, office_ids)
    async with db.write_transaction():  # the member or invitation and its email are committed together
        if draft.user is not None:
            return await _invite_existing(settings, actor, draft, draft.user)
        member, created = await services.create_member(actor, draft)
        await send_invitation(settings, actor, member, created)
        return member


async def _invite_existing(settings: Settings, actor: Actor, draft: services.MemberDraft,
                           user: User) -> MemberInvitation:
    if await MemberInvitation.exists().where(
        (MemberInvitation.organisation == actor.organisation_id) & (MemberInvitation.user == user.id)
        & (MemberInvitation.status == PENDING) & (MemberInvitation.expires_at > _now())
    ):
        raise ValidationFailed.on("email", "Une invitation a déjà été envoyée à cette personne.")
    token = secrets.token_urlsafe(32)
    invitation = MemberInvitation(
        organisation=actor.organisation_id, user=user.id, display_name=draft.display_name, role=draft.role.value,
        office_ids=draft.office_ids, invited_by=actor.user_id, token_hash=auth.token_digest(token),
        expires_at=_now() + INVITATION_LIFETIME)
    await invitation.save()
    organisation = await Organisation.objects().get(Organisation.id == actor.organisation_id)
    await notify.enqueue_email(
        user.email, f"{organisation.name} vous invite à la rejoindre", template="member_invitation",
        organisation_id=organisation.id, key=f"member-invitation:{invitation.id}",
        context={"member_name": draft.display_name, "inviter": actor.display_name, "organisation": organisation.name,
                 "role": draft.role.label, "accept_link": f"{settings.base_url}/invitation/{token}"})
    await audit.record("member.invitation_sent", organisation_id=actor.organisation_id, actor_user_id=actor.user_id,
                       target=f"invitation:{invitation.id}", details={"role": draft.role.value},
                       summary=f"Invitation envoyée à {user.email} ({draft.role.label}), en attente d'acceptation")
    return invitation


async def pending_invitations(actor: Actor) -> list[dict[str, Any]]:
    """The organisation's invitations still waiting for an answer, oldest first."""
    actor.require(Role.admin)
    return await MemberInvitation.select(
        MemberInvitation.id, MemberInvitation.display_name, MemberInvitation.role, MemberInvitation.office_ids,
        MemberInvitation.created_at, MemberInvitation.expires_at, MemberInvitation.user.email.as_alias("email"),
    ).where(
        (MemberInvitation.organisation == actor.organisation_id) & (MemberInvitation.status == PENDING)
        & (MemberInvitation.expires_at > _now())
    ).order_by(MemberInvitation.id).output(load_json=True)


async def cancel_invitation(actor: Actor, invitation_id: object) -> None:
    actor.require(Role.admin)
    invitation = await actor.scope.get(MemberInvitation, invitation_id)
    if invitation.status != PENDING:
        raise NotFound()
    await _answer(invitation, "cancelled")
    await audit.record("member.invitation_cancelled", organisation_id=actor.organisation_id,
                       actor_user_id=actor.user_id, target=f"invitation:{invitation.id}",
                       summary=f"Invitation de {invitation.display_name} annulée")


@dataclass(frozen=True, slots=True)
class InvitationView:
    """What the invited person sees before answering."""

    organisation: str
    display_name: str
    role: Role
    email: str


async def _pending(token: str) -> MemberInvitation:
    invitation = await MemberInvitation.objects().where(
        (MemberInvitation.token_hash == auth.token_digest(token or "")) & (MemberInvitation.status == PENDING)
        & (MemberInvitation.expires_at > _now())
    ).first()
    if invitation is None:
        raise NotFound(INVALID_LINK)
    return invitation


async def view_invitation(token: str) -> InvitationView:
    invitation = await _pending(token)
    organisation = await Organisation.objects().get(Organisation.id == invitation.organisation)
    user = await User.objects().get(User.id == invitation.user)
    return InvitationView(organisation.name, invitation.display_name, Role(invitation.role), user.email)


async def _answer(invitation: MemberInvitation, status: str) -> None:
    await MemberInvitation.update({MemberInvitation.status: status, MemberInvitation.answered_at: _now()}).where(
        MemberInvitation.id == invitation.id)


async def accept_invitation(token: str) -> tuple[Member, str]:
    """The invited person accepts: the membership is created now (offices deleted meanwhile are skipped).
    Returns the member and the organisation's name."""
    async with db.write_transaction():
        invitation = await _pending(token)
        organisation = await Organisation.objects().get(Organisation.id == invitation.organisation)
        await _answer(invitation, "accepted")
        existing = await Member.objects().where(
            (Member.organisation == invitation.organisation) & (Member.user == invitation.user)).first()
        if existing is not None:
            return existing, organisation.name
        wanted = invitation.office_ids
        wanted = json.loads(wanted) if isinstance(wanted, str) else wanted
        offices = [row["id"] for row in await Office.select(Office.id).where(
            (Office.organisation == invitation.organisation) & Office.id.is_in([*map(int, wanted), -1]))]
        member = await services.add_membership(invitation.organisation, invitation.user, invitation.display_name,
                                               Role(invitation.role), sorted(offices))
        await audit.record("member.invitation_accepted", organisation_id=invitation.organisation,
                           actor_user_id=invitation.user, target=f"member:{member.id}",
                           details={"role": invitation.role},
                           summary=f"{invitation.display_name} a accepté l'invitation")
    return member, organisation.name


async def decline_invitation(token: str) -> str:
    """The invited person declines; returns the organisation's name."""
    async with db.write_transaction():
        invitation = await _pending(token)
        organisation = await Organisation.objects().get(Organisation.id == invitation.organisation)
        await _answer(invitation, "declined")
        await audit.record("member.invitation_declined", organisation_id=invitation.organisation,
                           actor_user_id=invitation.user, target=f"invitation:{invitation.id}",
                           summary=f"{invitation.display_name} a refusé l'invitation")
    return organisation.name
