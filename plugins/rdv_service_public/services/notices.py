"""What the citizen receives: confirmation (with an ICS file), change and cancellation emails, SMS text.

Messages are collected during the booking transaction and sent once it committed (`Outbox.flush`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from core.plugin_api import Platform, data
from plugins.rdv_service_public.tables import Lieu, Motif, Rdv

_PLATFORM: list[Platform] = []
SENT_SMS: list[tuple[str, str]] = []  # no SMS gateway yet: texts are logged (and kept for tests)

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


@dataclass
class Outbox:
    """Messages decided inside a transaction, sent after it committed."""

    mails: list[tuple[str, str, str, list[tuple[str, str, bytes]]]] = field(default_factory=list)
    sms: list[tuple[str, str]] = field(default_factory=list)

    async def flush(self) -> None:
        platform = _PLATFORM[0] if _PLATFORM else None
        for to, subject, text, attachments in self.mails:
            if platform is not None:
                try:
                    await platform.send_mail(to, subject, text, attachments)
                except OSError as error:  # the appointment is saved; a mail failure must not undo it
                    platform.log.warning("courriel non envoyé à %s : %s", to, error)
        for phone, text in self.sms:
            SENT_SMS.append((phone, text))
            if platform is not None:
                platform.log.info("SMS pour %s : %s", phone, text)


async def describe(rdv: Rdv, tz: ZoneInfo) -> dict[str, Any]:
    motif = await Motif.objects().where(Motif.id == rdv.motif).first()
    lieu = await Lieu.objects().where(Lieu.id == rdv.lieu).first() if rdv.lieu else None
    organisation = await data.organisation(rdv.organisation)
    platform = _PLATFORM[0] if _PLATFORM else None
    base = platform.settings.base_url if platform else ""
    path = f"/public/o/{organisation.slug}/m/rdv_service_public/rdv/{rdv.token}"
    return {"motif": motif, "lieu": lieu, "organisation": organisation, "when": french_moment(rdv.starts_at, tz),
            "recap_url": base + path}


async def queue(outbox: Outbox, kind: str, rdv: Rdv, tz: ZoneInfo) -> None:
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
    attachments = [("rendez-vous.ics", "text/calendar", ics(rdv, motif, lieu, organisation.name))] \
        if kind != "cancelled" else []
    if rdv.citizen_email:
        outbox.mails.append((rdv.citizen_email, f"{subject} — {organisation.name}", "\n".join(body), attachments))
    if rdv.citizen_phone and kind in ("created", "reminder", "cancelled", "changed"):
        outbox.sms.append((rdv.citizen_phone, f"{subject} : {motif.name}, {info['when']}, {where}. "
                                              f"{info['recap_url']}"))
