"""What the citizen receives: confirmation, change, cancellation and reminder emails (text and HTML, from the
organisation's name, with a calendar invitation: REQUEST, then REQUEST with a higher SEQUENCE, then CANCEL) and
SMS, and the webhooks of appointment events. Everything goes on core.notify's outbox, inside the caller's
write transaction: a message exists if and only if the change that caused it is committed."""

from __future__ import annotations

from datetime import datetime
from email.utils import parseaddr
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from core.plugin_api import (
    CalendarEvent,
    OrganisationInfo,
    Platform,
    data,
    emit_event,
    enqueue_email,
    enqueue_sms,
    invitation_attachment,
    stable_uid,
)
from plugins.rdv_service_public.tables import Lieu, Motif, Rdv

_PLATFORM: list[Platform] = []

SUBJECTS = {"created": "Votre rendez-vous est confirmé", "changed": "Votre rendez-vous a été modifié",
            "cancelled": "Votre rendez-vous est annulé", "reminder": "Rappel : votre rendez-vous"}
HEADLINES = {"created": "Votre rendez-vous est confirmé.", "changed": "Votre rendez-vous a été modifié.",
             "cancelled": "", "reminder": "Nous vous rappelons votre rendez-vous."}

DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]


def configure(platform: Platform) -> None:
    _PLATFORM[:] = [platform]


class Place(NamedTuple):
    """What the messages say of a lieu (a raw read: a Piccolo row object costs more than the rest)."""

    name: str
    address: str


async def place(lieu_id: int | None) -> Place | None:
    if lieu_id is None:
        return None
    rows = await Lieu.raw(f"SELECT name, address FROM {Lieu._meta.tablename} WHERE id = {{}}", lieu_id)
    return Place(rows[0]["name"], rows[0]["address"] or "") if rows else None


def french_moment(moment: datetime, tz: ZoneInfo) -> str:
    local = moment.astimezone(tz)
    return f"{DAYS[local.weekday()]} {local.day} {MONTHS[local.month - 1]} {local.year} à {local:%H:%M}"


def calendar_event(rdv: Rdv, motif: Motif, lieu: Place | None, organisation: OrganisationInfo,
                   recap_url: str, cancelled: bool = False) -> CalendarEvent:
    """The appointment as the citizen's calendar app sees it: one UID for its whole life (from its private
    token, which the UID does not reveal), `rdv.sequence` changes so far."""
    where = f"{lieu.name}, {lieu.address}" if lieu else organisation.address or organisation.name
    description = "\n\n".join(part for part in (motif.instructions_after, f"Votre rendez-vous : {recap_url}") if part)
    return CalendarEvent(uid=stable_uid("rdv_service_public", rdv.token), start=rdv.starts_at, end=rdv.ends_at,
                         summary=f"{motif.name} — {organisation.name}", sequence=rdv.sequence, location=where,
                         description=description, organizer_name=organisation.name,
                         organizer_email=organisation.email or _platform_address(), attendee_name=rdv.citizen_name,
                         attendee_email=rdv.citizen_email, url=recap_url, cancelled=cancelled)


def _platform_address() -> str:
    return parseaddr(_PLATFORM[0].settings.smtp.sender)[1] if _PLATFORM else "ne-pas-repondre@socle.localhost"


async def describe(rdv: Rdv, tz: ZoneInfo, motif: Motif | None = None) -> dict[str, Any]:
    """What the messages about `rdv` say; `motif`, when the caller holds it already, saves a read."""
    if motif is None or motif.id != rdv.motif:
        motif = await Motif.objects().where(Motif.id == rdv.motif).first()
    lieu = await place(rdv.lieu) if rdv.lieu else None
    organisation = await data.organisation(rdv.organisation)
    platform = _PLATFORM[0] if _PLATFORM else None
    base = platform.settings.base_url if platform else ""
    path = f"/public/o/{organisation.slug}/m/rdv_service_public/rdv/{rdv.token}"
    return {"motif": motif, "lieu": lieu, "organisation": organisation, "when": french_moment(rdv.starts_at, tz),
            "recap_url": base + path}


async def queue(kind: str, rdv: Rdv, tz: ZoneInfo, motif: Motif | None = None) -> None:
    """Queue the citizen's message for `kind`: created, changed or cancelled."""
    if not rdv.citizen_email and not rdv.citizen_phone:
        return
    info = await describe(rdv, tz, motif)
    motif, lieu, organisation = info["motif"], info["lieu"], info["organisation"]
    where = f"{lieu.name}, {lieu.address}" if lieu else organisation.address or organisation.name
    subject = SUBJECTS[kind]
    if rdv.citizen_email:
        if kind in ("changed", "cancelled"):  # a new version of the event for the citizen's calendar
            rdv.sequence += 1
            await Rdv.update({Rdv.sequence: rdv.sequence}).where(Rdv.id == rdv.id)
        event = calendar_event(rdv, motif, lieu, organisation, info["recap_url"], cancelled=kind == "cancelled")
        context = {"kind": kind, "subject": subject, "headline": HEADLINES[kind], "citizen_name": rdv.citizen_name,
                   "motif": motif.name, "when": info["when"], "where": where, "instructions": motif.instructions_after,
                   "recap_url": info["recap_url"], "may_change": motif.users_may_change,
                   "organisation": organisation.name, "address": organisation.address,
                   "contact": " — ".join(v for v in (organisation.phone, organisation.email) if v),
                   "reply_possible": bool(organisation.email)}
        await enqueue_email(rdv.citizen_email, f"{subject} — {organisation.name}",
                            template="rdv_service_public/appointment", context=context,
                            attachments=[invitation_attachment(event)], organisation_id=rdv.organisation,
                            sender_name=organisation.name, reply_to=organisation.email or None)
    if rdv.citizen_phone and await _sms_enabled(rdv):
        text = f"{subject} : {motif.name}, {info['when']}, {where}."
        if kind != "cancelled":
            text += f" {info['recap_url']}"
        await enqueue_sms(rdv.citizen_phone, text[:300], organisation_id=rdv.organisation, office_id=rdv.office)


async def _sms_enabled(rdv: Rdv) -> bool:
    """The office's « SMS aux usagers » setting (on when the platform is not configured, e.g. in scripts)."""
    if not _PLATFORM:
        return True
    return bool((await _PLATFORM[0].office_settings(rdv.organisation, rdv.office)).citizen_sms)


async def event(name: str, rdv: Rdv) -> None:
    """Webhook `rdv_service_public.<name>` (created, updated, cancelled, deleted) for the organisation."""
    payload = {"id": rdv.id, "office_id": rdv.office, "motif_id": rdv.motif, "member_id": rdv.member,
               "guichet_id": rdv.guichet, "lieu_id": rdv.lieu, "starts_at": rdv.starts_at, "ends_at": rdv.ends_at,
               "status": rdv.status, "online": rdv.online}
    await emit_event(rdv.organisation, f"rdv_service_public.{name}", "rdv", payload)
