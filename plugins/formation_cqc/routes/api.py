"""The module's API (token): the office's registrations, and « Souscrire à l'API » mode — POST a
registration with its lines as JSON, the same controls as the pages, 422 naming `lines[i].field`, and an
`Idempotency-Key` header so a retried call never registers twice."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import msgspec
from litestar import Request, get, post
from litestar.response import Response

from core.plugin_api import CurrentActor, FieldError, PathId, ValidationFailed
from plugins.formation_cqc import SESSIONS
from plugins.formation_cqc.runtime import platform
from plugins.formation_cqc.services import agrements, card_status, registrations
from plugins.formation_cqc.services.controls import LineIn, parse_date
from plugins.formation_cqc.services.rules import TrainingType

GATE = {"permission": SESSIONS}
Text = Annotated[str, msgspec.Meta(max_length=100)]


class LineBody(msgspec.Struct, forbid_unknown_fields=True):
    order_number: Text
    first_name: Text
    last_name: Text
    birth_date: Annotated[str, msgspec.Meta(max_length=10, description="JJ/MM/AAAA ou AAAA-MM-JJ")]
    licence: Annotated[str, msgspec.Meta(max_length=30)]
    reference: Text = ""


class RegistrationBody(msgspec.Struct, forbid_unknown_fields=True):
    training: TrainingType
    label: Annotated[str, msgspec.Meta(max_length=200)]
    end_date: Annotated[str, msgspec.Meta(max_length=10)]
    lines: Annotated[list[LineBody], msgspec.Meta(max_length=20_000)]


@get("/sessions", opt=GATE, summary="Les enregistrements de sessions du bureau")
async def list_sessions(request: Request[Any, Any, Any], actor: CurrentActor) -> list[dict[str, Any]]:
    rows = await registrations.of_office(platform().office(request).id)
    return [{"id": r["id"], "training": r["training"], "label": r["label"], "end_date": r["end_date"].isoformat(),
             "lines": r["line_count"], "amount_ht": f"{r['amount_cents'] / 100:.2f}", "mode": r["mode"]}
            for r in rows]


@post("/sessions", opt=GATE, summary="Enregistrer une session et ses conducteurs (en-tête Idempotency-Key)")
async def create_session(request: Request[Any, Any, Any], actor: CurrentActor) -> Response[dict[str, Any]]:
    office = platform().office(request)  # the office is checked before the body is read
    key = request.headers.get("idempotency-key", "").strip()
    if not key or len(key) > 100:
        raise ValidationFailed.on("Idempotency-Key",
                                  "L'en-tête Idempotency-Key est obligatoire (100 caractères au plus).")
    try:
        body = msgspec.json.decode(await request.body(), type=RegistrationBody)
    except msgspec.ValidationError as error:
        raise ValidationFailed.on("body", f"Corps de requête invalide : {error}") from None
    except msgspec.DecodeError:
        raise ValidationFailed.on("body", "Le corps de la requête doit être du JSON.") from None
    existing = await registrations.by_idempotency_key(office.id, key)
    if existing is not None:
        return Response(existing, status_code=200)
    lines = [LineIn(b.reference, b.order_number, b.first_name, b.last_name, b.birth_date, b.licence)
             for b in body.lines]
    report, registration_id = await registrations.import_lines(
        body.training, body.label, parse_date(body.end_date), lines, "api", office.organisation,  # type: ignore[arg-type]
        office.id, actor.member_id, await agrements.of_office(office.id), date.today(), idempotency_key=key)
    if registration_id is None:
        errors = [FieldError(f"lines[{i.line}].{i.field}" if i.line is not None else i.field, i.message)
                  for i in report.errors]
        raise ValidationFailed("Certaines lignes sont invalides : rien n'a été enregistré.", errors)
    return Response(await registrations.by_idempotency_key(office.id, key) or {}, status_code=201)


class StatusBody(msgspec.Struct, forbid_unknown_fields=True):
    status: Annotated[str, msgspec.Meta(max_length=20, description="en_fabrication, expediee ou refusee")]
    tracking_number: Annotated[str, msgspec.Meta(max_length=60)] = ""
    reason: Annotated[str, msgspec.Meta(max_length=500, description="obligatoire pour refusee")] = ""


@get("/cartes-cqc", opt=GATE, summary="Les demandes de carte CQC des conducteurs du centre (filtre ?status=)")
async def list_card_requests(request: Request[Any, Any, Any], actor: CurrentActor) -> list[dict[str, Any]]:
    office = platform().office(request)
    raw = request.query_params.get("status")
    wanted = card_status.parse_status_filter(raw)
    if raw and wanted is None:
        raise ValidationFailed.on("status", "État inconnu : deposee, en_fabrication, expediee ou refusee.")
    return [{k: v for k, v in r.items() if k not in ("status_label",)} for r in
            await card_status.of_office(office.id, wanted)]


@post("/cartes-cqc/{request_id:int}/status", opt=GATE, status_code=200,
      summary="Changer l'état d'une demande de carte CQC (le conducteur est prévenu par courriel)")
async def change_card_status(request: Request[Any, Any, Any], actor: CurrentActor,
                             request_id: PathId) -> dict[str, Any]:
    office = platform().office(request)  # the office is checked before the body is read
    try:
        body = msgspec.json.decode(await request.body(), type=StatusBody)
    except msgspec.ValidationError as error:
        raise ValidationFailed.on("body", f"Corps de requête invalide : {error}") from None
    except msgspec.DecodeError:
        raise ValidationFailed.on("body", "Le corps de la requête doit être du JSON.") from None
    await card_status.change(actor, office, request_id, msgspec.structs.asdict(body))
    (row,) = [r for r in await card_status.of_office(office.id) if r["id"] == request_id]
    return {k: v for k, v in row.items() if k != "status_label"}


ROUTES = [list_sessions, create_session, list_card_requests, change_card_status]
