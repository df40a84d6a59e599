"""« Nouvel enregistrement » › Manuellement: the three steps on one page, the draft kept server-side. Thin."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from core.plugin_api import CurrentActor, ValidationFailed
from plugins.formation_cqc import SESSIONS
from plugins.formation_cqc.runtime import platform
from plugins.formation_cqc.services import agrements, drafts, registrations, rules
from plugins.formation_cqc.services.controls import FIELD_LABELS

GATE = {"permission": SESSIONS}
Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
R = Request[Any, Any, Any]


def _back(request: R) -> Redirect:
    return Redirect(platform().office_url(platform().office(request).id, "/sessions/nouveau"))


async def _draft(request: R, actor: Any) -> drafts.Draft:
    return await drafts.load(platform().office(request).id, actor.member_id)


async def _save(request: R, actor: Any, draft: drafts.Draft) -> None:
    office = platform().office(request)
    await drafts.save(office.organisation, office.id, actor.member_id, draft)  # type: ignore[arg-type]


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@get("/sessions/nouveau", opt=GATE)
async def manual_page(request: R, actor: CurrentActor) -> Template:
    office = platform().office(request)
    draft = await _draft(request, actor)
    end = draft.end()
    held = await agrements.of_office(office.id)
    offered = rules.offered_trainings(held, end or date.today())
    edit = _int(request.query_params.get("ligne"))
    editing = draft.lines[edit] if edit is not None and 0 <= edit < len(draft.lines) else None
    by_line: dict[int | None, list[dict[str, Any]]] = {}
    for issue in draft.issues:
        by_line.setdefault(issue["line"], []).append(issue)
    return await platform().render(
        request, actor, "formation_cqc/manual.html", office=office, draft=draft,
        base=platform().office_url(office.id, ""), offered=[(t.value, rules.TRAINING_LABELS[t]) for t in offered],
        editing=editing, edit_index=edit if editing is not None else None, fields=FIELD_LABELS,
        issues=by_line, verified_ok=draft.can_import,
        profile_label=rules.PROFILE_LABELS[draft.profile_type()], contract=await platform().service_contract(office.id),
    )


@post("/sessions/nouveau/session", opt=GATE)
async def save_session(request: R, actor: CurrentActor, data: Form) -> Redirect:
    draft = await _draft(request, actor)
    draft.set_session(str(data.get("training", "")), str(data.get("label", "")), str(data.get("end_date", "")))
    await _save(request, actor, draft)
    return _back(request)


@post("/sessions/nouveau/lignes", opt=GATE)
async def put_line(request: R, actor: CurrentActor, data: Form) -> Redirect:
    draft = await _draft(request, actor)
    draft.put_line(_int(data.get("index")), data)
    await _save(request, actor, draft)
    return _back(request)


@post("/sessions/nouveau/lignes/{index:str}/supprimer", opt=GATE)
async def delete_line(request: R, actor: CurrentActor, index: FromPath[str]) -> Redirect:
    draft = await _draft(request, actor)
    position = _int(index)
    if position is not None:
        draft.delete_line(position)
    await _save(request, actor, draft)
    return _back(request)


@post("/sessions/nouveau/verifier", opt=GATE)
async def verify(request: R, actor: CurrentActor) -> Redirect:
    office = platform().office(request)
    draft = await _draft(request, actor)
    report = await registrations.verify(draft, office.id, await agrements.of_office(office.id), date.today())
    await _save(request, actor, draft)
    if report.ok:
        flash(request, "Contrôles réussis : vous pouvez importer l'enregistrement.", category="success")
    else:
        flash(request, f"{len(report.errors)} erreur(s) à corriger avant l'import.", category="error")
    return _back(request)


@post("/sessions/nouveau/annuler", opt=GATE)
async def cancel(request: R, actor: CurrentActor) -> Redirect:
    await drafts.discard(platform().office(request).id, actor.member_id)
    flash(request, "La saisie a été effacée.", category="success")
    return _back(request)


@post("/sessions/nouveau/importer", opt=GATE)
async def import_(request: R, actor: CurrentActor) -> Redirect:
    office = platform().office(request)
    draft = await _draft(request, actor)
    try:
        await registrations.import_draft(draft, office.organisation, office.id, actor.member_id,  # type: ignore[arg-type]
                                         await agrements.of_office(office.id), date.today())
    except ValidationFailed as error:
        await _save(request, actor, draft)
        flash(request, error.message, category="error")
        return _back(request)
    await drafts.discard(office.id, actor.member_id)
    flash(request, f"Enregistrement importé : {len(draft.lines)} conducteur(s).", category="success")
    return Redirect(platform().office_url(office.id, "/sessions"))


ROUTES = [manual_page, save_session, put_line, delete_line, verify, cancel, import_]
