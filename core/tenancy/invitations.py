"""The invitation email sent to a new member."""

from __future__ import annotations

from core import mail
from core.auth import services as auth
from core.config import Settings
from core.tenancy.actor import Actor
from core.tenancy.tables import Member, Organisation, User


async def send_invitation(settings: Settings, actor: Actor, member: Member, new_account: bool) -> None:
    if member.user is None:
        return
    user = await User.objects().get(User.id == member.user)
    organisation = await Organisation.objects().get(Organisation.id == actor.organisation_id)
    lines = [f"Bonjour {member.display_name},", "",
             f"{actor.display_name} vous a invité à rejoindre « {organisation.name} » sur Socle."]
    if new_account and not user.password_hash:
        started = await auth.start_password_reset(user.email)
        if started:
            lines += ["", "Choisissez votre mot de passe avec ce lien (valable 24 heures) :",
                      f"{settings.base_url}/password/reset/{started[1]}"]
    lines += ["", f"Pour vous connecter : {settings.base_url}/login", ""]
    await mail.send(settings, mail.build_message(settings, user.email, f"Invitation à rejoindre {organisation.name}",
                                                 "\n".join(lines)))
