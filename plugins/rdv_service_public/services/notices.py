"""What the citizen receives: confirmation (with an ICS file), change, cancellation and reminder emails and
SMS, and the webhooks of appointment events. Everything goes on core.notify's outbox, inside the caller's
write transaction: a message exists if and only if the change that caused it is committed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from core.plugin_api import Attachment, Platform, data, emit_event, enqueue_email, enqueue_sms
from plugins.rdv_service_public.tables import Lieu, Motif, Rdv

_PLATFORM: list[Platform] = []

DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]


def configure(platform: Platform) -> None:
    _PLATFORM[:] = [platform]


def french_moment(moment: datetime, tz: ZoneInfo) -> str:
    local = moment.astimezone(tz)
    return f"{DAYS[local.weekday()]} {local.day} {MONTHS[local.month - 1]} {local.year} à {local:%H:%M}"


def ics(rdv: Rdv, motif: Motif, lieu: Lieu | None, organisation: str) -> bytes:
    def stamp(moment: datetime) -> str:
        return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")

    where = f"{lieu.name}, {lieu.address}" if lieu else organisation
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Socle//rdv_service_public//FR", "METHOD:PUBLISH",
             "BEGIN:VEVENT", f"UID:rdv-{rdv.id}@socle", f"DTSTAMP:{stamp(datetime.now(UTC))}",
             f"DTSTART:{stamp(rdv.starts_at)}", f"DTEND:{stamp(rdv.ends_at)}",
             f"SUMMARY:{_escape(motif.name + ' — ' + organisation)}", f"LOCATION:{_escape(where)}",
             "END:VEVENT", "END:VCALENDAR"]
    return ("\r\n".join(lines) + "\r\n").encode()


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


async def describe(rdv: Rdv, tz: ZoneInfo) -> dict[str, Any]:
    motif = await Motif.objects().where(Motif.id == rdv.motif).first()
    lieu = await Lieu.objects().where(Lieu.id == rdv.lieu).first() if rdv.lieu else None
    organisation = await data.organisation(rdv.organisation)
    platform = _PLATFORM[0] if _PLATFORM else None
    base = platform.settings.base_url if platform else ""
    path = f"/public/o/{organisation.slug}/m/rdv_service_public/rdv/{rdv.token}"
    return {"motif": motif, "lieu": lieu, "organisation": organisation, "when": french_moment(rdv.starts_at, tz),
            "recap_url": base + path}


async def queue(kind: str, rdv: Rdv, tz: ZoneInfo) -> None:
    """Queue the citizen's message for `kind`: created, changed or cancelled."""
    if not rdv.citizen_email and not rdv.citizen_phone:
        return
    info = await describe(rdv, tz)
    motif, lieu, organisation = info["motif"], info["lieu"], info["organisation"]
    where = f"{lieu.name}, {lieu.address}" if lieu else organisation.address or organisation.name
    subject = {"created": "Votre rendez-vous est confirmé", "changed": "Votre rendez-vous a été modifié",
               "cancelled": "Votre rendez-vous est annulé", "reminder": "Rappel : votre rendez-vous"}[kind]
    body = [f"Bonjour {rdv.citizen_name},", ""]
    if kind == "cancelled":
        body.append(f"Votre rendez-vous « {motif.name} » du {info['when']} est annulé.")
    else:
        body += [f"Motif : {motif.name}", f"Date : {info['when']}", f"Lieu : {where}"]
        if motif.instructions_after:
            body += ["", "Informations supplémentaires :", motif.instructions_after]
        body += ["", f"Voir, déplacer ou annuler votre rendez-vous : {info['recap_url']}"]
    contact = " — ".join(v for v in (organisation.phone, organisation.email) if v)
    body += ["", f"{organisation.name}" + (f" ({contact})" if contact else "")]
    attachments = [Attachment("rendez-vous.ics", ics(rdv, motif, lieu, organisation.name), "text/calendar")] \
        if kind != "cancelled" else []
    if rdv.citizen_email:
        await enqueue_email(rdv.citizen_email, f"{subject} — {organisation.name}", text="\n".join(body),
                            attachments=attachments, organisation_id=rdv.organisation)
    if rdv.citizen_phone and await _sms_enabled(rdv):
        text = f"{subject} : {motif.name}, {info['when']}, {where}."
        if kind != "cancelled":
            text += f" {info['recap_url']}"
        await enqueue_sms(rdv.citizen_phone, text[:300], organisation_id=rdv.organisation)


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
