"""Mandates: an élève authorises the school to book their exams on RdvPermis. « Demander le mandat » asks the
provider (requested), which gives a link the student opens to confirm or refuse; the school may revoke it. The
state is kept in sync on view and by a periodic job. Booking asks `mandate_status(...)` for « confirmed »."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import json
from typing import Any, Literal

from core.plugin_api import Conflict, Forbidden, NotFound, ValidationFailed, write_transaction
from plugins.passerelle_examens.providers.base import ExamProviderError, Mandate
from plugins.passerelle_examens.runtime import platform
from plugins.passerelle_examens.services import providers, students
from plugins.passerelle_examens.services.common import Ctx
from plugins.passerelle_examens.tables import StudentMandate

PROVIDER = "rdvpermis"
MandateStatus = Literal["none", "requested", "confirmed", "refused", "revoked"]
LABELS: dict[str, str] = {
    "none": "Aucun mandat", "requested": "Mandat demandé : en attente de la réponse de l'élève",
    "confirmed": "Mandat confirmé", "refused": "Mandat refusé par l'élève", "revoked": "Mandat révoqué"}
OPEN = ("requested", "confirmed")
CALLBACK_PATH = "/rdvpermis/mandats"  # public route RdvPermis POSTs the student's answer to (signed)


def _dedup(c: Ctx, student_id: int, provider: str) -> str:
    return f"{c.organisation_id}:{student_id}:{provider}"


async def current(c: Ctx, student_id: int, provider: str = PROVIDER) -> StudentMandate | None:
    return await StudentMandate.objects().where(
        (StudentMandate.organisation == c.organisation_id) & (StudentMandate.office == c.office_id)
        & (StudentMandate.student == student_id) & (StudentMandate.provider == provider)).first()


async def mandate_status(c: Ctx, student_id: int, *, provider: str = PROVIDER, refresh: bool = False) -> MandateStatus:
    """The élève's mandate state in the office: "none", "requested", "confirmed", "refused" or "revoked" (the
    state last synced; `refresh=True` asks the provider first, keeping the stored state when it fails). Only
    "confirmed" allows a booking. A student of another office or organisation is "none"."""
    row = await current(c, student_id, provider)
    if row is not None and refresh and row.state in OPEN:
        with contextlib.suppress(ExamProviderError):  # the provider is down: the state last synced
            row = await _sync_row(c, row)
    return row.state if row is not None else "none"  # type: ignore[return-value]


async def _store(c: Ctx, student_id: int, provider: str, mandate: Mandate, *, asked: bool) -> StudentMandate:
    now = dt.datetime.now(dt.UTC)
    values: dict[Any, Any] = {StudentMandate.state: mandate.state, StudentMandate.neph: mandate.neph,
                              StudentMandate.synced_at: now}
    if asked:
        values.update({StudentMandate.mandate_id: mandate.mandate_id, StudentMandate.requested_at: now,
                       StudentMandate.confirm_url: mandate.confirm_url})
    await StudentMandate.insert(StudentMandate(
        organisation=c.organisation_id, office=c.office_id, student=student_id, provider=provider,
        neph=mandate.neph, mandate_id=mandate.mandate_id, state=mandate.state, confirm_url=mandate.confirm_url,
        dedup=_dedup(c, student_id, provider))).on_conflict(target=StudentMandate.dedup, action="DO NOTHING").run()
    await StudentMandate.update(values).where(StudentMandate.dedup == _dedup(c, student_id, provider))
    row = await current(c, student_id, provider)
    assert row is not None
    return row


async def request(c: Ctx, student_id: int) -> tuple[StudentMandate, bool]:
    """Ask the élève's mandate (« Demander le mandat »); an open one is kept (asking twice changes nothing).
    Returns (mandate, asked now). The link is emailed to the student when they have an email."""
    student = await students.get(c, student_id)  # NotFound for another office's student
    row = await current(c, student_id)
    if row is not None and row.state in OPEN:
        return row, False
    callback = platform().settings.base_url.rstrip("/") + platform().public_url(c.office_id, CALLBACK_PATH)
    async with providers.opened(c, PROVIDER, "mandates") as gateway:
        mandate = await gateway.mandate(student.neph, student.email, callback)
    async with write_transaction():
        row = await _store(c, student_id, PROVIDER, mandate, asked=True)
        if student.email and mandate.state == "requested" and mandate.confirm_url:
            await platform().send_mail(
                student.email, "Votre auto-école demande votre mandat RdvPermis",
                f"Bonjour {student.first_names} {student.last_name},\n\nVotre auto-école demande à réserver vos "
                f"examens du permis de conduire en votre nom sur RdvPermis. Pour accepter ou refuser ce mandat, "
                f"ouvrez ce lien :\n{mandate.confirm_url}\n\nVous pourrez le révoquer à tout moment auprès de "
                f"votre auto-école.", organisation_id=c.organisation_id)
    return row, True


async def _sync_row(c: Ctx, row: StudentMandate) -> StudentMandate:
    async with providers.opened(c, row.provider, "mandates") as gateway:
        mandate = await gateway.read_mandate(row.neph)
    if mandate.state == row.state:
        await StudentMandate.update({StudentMandate.synced_at: dt.datetime.now(dt.UTC)}).where(
            StudentMandate.id == row.id)
        return row
    async with write_transaction():
        return await _store(c, row.student, row.provider, mandate, asked=False)


async def sync(c: Ctx, student_id: int) -> StudentMandate | None:
    """The élève's mandate after asking the provider (when open); ExamProviderError when it fails."""
    await students.get(c, student_id)
    row = await current(c, student_id)
    if row is None or row.state not in OPEN:
        return row
    return await _sync_row(c, row)


def signature_ok(secret: str, body: bytes, header: str) -> bool:
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return bool(secret) and hmac.compare_digest(expected, header or "")


async def callback(c: Ctx, body: bytes, signature: str) -> StudentMandate:
    """RdvPermis tells the office a student answered: the body is signed with the office's client secret
    (Forbidden otherwise); the mandate must be this office's (NotFound otherwise). Replaying it changes nothing."""
    settings = await platform().office_settings(c.organisation_id, c.office_id)
    if not signature_ok(settings.client_secret, body, signature):
        raise Forbidden("Signature RdvPermis invalide.")
    try:
        data = json.loads(body)
        neph, mandate_id, state = str(data["neph"]), str(data["mandate_id"]), str(data["state"])
    except (ValueError, KeyError, TypeError) as error:
        raise ValidationFailed.on("state", "Notification RdvPermis illisible.") from error
    if state not in LABELS or state == "none":
        raise ValidationFailed.on("state", "État de mandat inconnu.")
    row = await StudentMandate.objects().where(
        (StudentMandate.organisation == c.organisation_id) & (StudentMandate.office == c.office_id)
        & (StudentMandate.provider == PROVIDER) & (StudentMandate.neph == neph)
        & (StudentMandate.mandate_id == mandate_id)).first()
    if row is None:
        raise NotFound("Mandat inconnu.")
    async with write_transaction():
        return await _store(c, row.student, PROVIDER, Mandate(neph=neph, state=state, mandate_id=mandate_id),  # type: ignore[arg-type]
                            asked=False)


async def revoke(c: Ctx, student_id: int) -> StudentMandate:
    """« Révoquer le mandat »: the provider first, then the stored state; Conflict when nothing is open."""
    await students.get(c, student_id)
    row = await current(c, student_id)
    if row is None or row.state not in OPEN:
        raise Conflict("Cet élève n'a pas de mandat en cours à révoquer.")
    async with providers.opened(c, row.provider, "mandates") as gateway:
        mandate = await gateway.revoke_mandate(row.neph)
    async with write_transaction():
        return await _store(c, student_id, row.provider, mandate, asked=False)


async def states(c: Ctx) -> dict[int, str]:
    """student id → stored mandate state, for the office's list."""
    rows = await StudentMandate.select(StudentMandate.student, StudentMandate.state).where(
        (StudentMandate.organisation == c.organisation_id) & (StudentMandate.office == c.office_id)
        & (StudentMandate.provider == PROVIDER))
    return {r["student"]: r["state"] for r in rows}


async def sync_all(payload: dict[str, Any]) -> None:
    """Job `passerelle_examens.sync_mandates` (periodic fallback): re-read every open mandate of the offices where
    the module is active; an office whose provider fails is skipped (logged), the others go on."""
    rows = await StudentMandate.select(StudentMandate.organisation, StudentMandate.office).where(
        StudentMandate.state.is_in(list(OPEN))).distinct()
    for where in rows:
        c = Ctx(organisation_id=where["organisation"], office_id=where["office"])
        if not await platform().is_active(c.office_id):
            continue
        for row in await StudentMandate.objects().where(
                (StudentMandate.organisation == c.organisation_id) & (StudentMandate.office == c.office_id)
                & StudentMandate.state.is_in(list(OPEN))):
            try:
                await _sync_row(c, row)
            except ExamProviderError as error:
                platform().log.warning("mandates of office %s not synced: %s", c.office_id, error.message)
                break


def out(row: StudentMandate | None) -> dict[str, Any]:
    state = row.state if row is not None else "none"
    return {"etat": state, "libelle": LABELS.get(state, state), "fournisseur": row.provider if row else PROVIDER,
            "lien_eleve": row.confirm_url if row is not None and state == "requested" else "",
            "demande_le": row.requested_at.isoformat() if row is not None else None,
            "actualise_le": row.synced_at.isoformat() if row is not None else None}
