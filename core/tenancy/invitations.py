"""The invitation email sent to a new member (through the outbox)."""

from __future__ import annotations

from core import notify
from core.auth import services as auth
from core.config import Settings
from core.tenancy.actor import Actor
from core.tenancy.tables import Member, Organisation, User


async def send_invitation(settings: Settings, actor: Actor, member: Member, new_account: bool) -> None:
    """Queue the invitation; call it in the transaction that creates the member."""
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
