"""« Nouvel enregistrement » › Importer un fichier: CSV or XLSX; every error with its line, column, value and
message; nothing registered until the whole file is clean. Thin: rules in services."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from core.plugin_api import CurrentActor
from plugins.formation_cqc import SESSIONS
from plugins.formation_cqc.runtime import platform
from plugins.formation_cqc.services import agrements, files, registrations, rules
from plugins.formation_cqc.services.controls import parse_date
from plugins.formation_cqc.services.rules import TrainingType

GATE = {"permission": SESSIONS}
MAX_BYTES = 20 * 1024 * 1024
Multipart = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)]
R = Request[Any, Any, Any]


async def _page(request: R, actor: Any, *, form: dict[str, Any] | None = None, errors: list[Any] | None = None,
                message: str = "", status_code: int = 200) -> Template:
    office = platform().office(request)
    held = await agrements.of_office(office.id)
    offered = [(t.value, rules.TRAINING_LABELS[t]) for t in TrainingType if any(a.training is t for a in held)]
    return await platform().render(
        request, actor, "formation_cqc/upload.html", status_code=status_code, office=office, offered=offered,
        base=platform().office_url(office.id, ""), form=form or {}, errors=errors or [], message=message,
        columns=files.HEADER, contract=await platform().service_contract(office.id),
    )


@get("/sessions/fichier", opt=GATE)
async def upload_page(request: R, actor: CurrentActor) -> Template:
    return await _page(request, actor)


@post("/sessions/fichier", opt=GATE, request_max_body_size=MAX_BYTES + 65536)
async def upload(request: R, actor: CurrentActor, data: Multipart) -> Template | Redirect:
    office = platform().office(request)
    form = {k: v for k, v in data.items() if isinstance(v, str)}
    upload_file = data.get("file")
    try:
        training: TrainingType | None = TrainingType(str(form.get("training", "")))
    except ValueError:
        training = None
    if not isinstance(upload_file, UploadFile) or not upload_file.filename:
        return await _page(request, actor, form=form, message="Choisissez un fichier CSV ou XLSX.", status_code=422)
    content = await upload_file.read()
    try:
        lines = files.read_file(upload_file.filename, content)
    except files.FileUnreadable as error:
        return await _page(request, actor, form=form, message=str(error), status_code=422)
    end = parse_date(str(form.get("end_date", "")))
    report, registration_id = await registrations.import_lines(
        training, str(form.get("label", "")), end, lines, "fichier", office.organisation,  # type: ignore[arg-type]
        office.id, actor.member_id, await agrements.of_office(office.id), date.today())
    if registration_id is None:
        errors = files.locate(report.issues)
        return await _page(request, actor, form=form, errors=errors, status_code=422,
                           message=f"{len(errors)} erreur(s) : rien n'a été enregistré. Corrigez le fichier.")
    flash(request, f"Fichier importé : {len(lines)} conducteur(s) enregistré(s).", category="success")
    return Redirect(platform().office_url(office.id, "/sessions"))


ROUTES = [upload_page, upload]
