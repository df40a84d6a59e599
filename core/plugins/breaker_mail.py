"""The email to an organisation's owners when a module's circuit breaker opens for one of its offices (plugin
API 1.2): once per opening (a failed try after the pause keeps it open and sends nothing), in French, through
the outbox inside the transaction that opens the breaker."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from core.config import Settings
from core.notify.email import enqueue_email
from core.tenancy.roles import Role
from core.tenancy.tables import Member, Office, Organisation, User

TITLES: dict[str, str] = {}  # plugin id → French title, filled when plugins are loaded


async def owner_emails(organisation_id: int) -> list[str]:
    rows = await Member.select(Member.user).where((Member.organisation == organisation_id)
                                                  & (Member.role == Role.owner))
    ids = [row["user"] for row in rows]
    users = await User.select(User.email).where(User.id.is_in(ids)) if ids else []
    return sorted({u["email"] for u in users if u["email"]})


async def tell_owners(settings: Settings, organisation_id: int, office_id: int, plugin: str, subject: str,
                      label: str, failures: int, error: str, until: datetime) -> None:
    recipients = await owner_emails(organisation_id)
    office = await Office.objects().where(Office.id == office_id).first()
    organisation = await Organisation.objects().where(Organisation.id == organisation_id).first()
    if not recipients or office is None or organisation is None:
        return
    try:
        zone = ZoneInfo(office.timezone)
    except (KeyError, ValueError):
        zone = ZoneInfo("Europe/Paris")
    title = TITLES.get(plugin, plugin)
    text = (f"Bonjour,\n\nLe module « {title} » ({label}) a échoué {failures} fois de suite pour le bureau "
            f"« {office.name} » : {error}\n\nSes envois pour ce bureau sont en pause jusqu'à "
            f"{until.astimezone(zone):%H:%M} le {until.astimezone(zone):%d/%m/%Y}, puis un nouvel essai sera fait "
            "automatiquement. Les messages en attente ne sont pas perdus ; les autres bureaux ne sont pas "
            "concernés.\n\nCorrigez la cause (identifiants, réglages du fournisseur) puis consultez « Modules "
            f"installés » : {settings.base_url.rstrip('/')}/config/modules/installed\n\n— Socle\n")
    await enqueue_email(recipients, f"Module en pause pour le bureau « {office.name} » : {title}", text=text,
                        organisation_id=organisation_id, sender_name=organisation.name,
                        key=f"breaker:{office_id}:{plugin}:{subject}:{until.isoformat()}")
