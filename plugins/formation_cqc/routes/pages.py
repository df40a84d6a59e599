"""« Mes sessions », the agréments (admins) and the downloadable file templates. Thin: rules in services."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Response, Template

from core.plugin_api import CurrentActor, ValidationFailed
from plugins.formation_cqc import CONFIGURE, SESSIONS
from plugins.formation_cqc.runtime import platform
from plugins.formation_cqc.services import agrements, files, invoices, registrations, rules, statements

GATE = {"permission": SESSIONS}
ADMIN = {"permission": CONFIGURE}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


@get("/sessions", opt=GATE)
async def sessions_page(request: Request[Any, Any, Any], actor: CurrentActor) -> Template:
    office = platform().office(request)
    held = await agrements.of_office(office.id)
    return await platform().render(
        request, actor, "formation_cqc/sessions.html", office=office, columns=files.HEADER,
        fee_full=rules.FEE_FULL, fee_module=rules.FEE_MODULE, base=platform().office_url(office.id, ""),
        offered=[rules.TRAINING_LABELS[t] for t in rules.offered_trainings(held, date.today())],
        registrations=await registrations.of_office(office.id), done=await registrations.progress(office.id),
        contract=await platform().service_contract(office.id),
        training_labels={t.value: label for t, label in rules.TRAINING_LABELS.items()},
    )


async def _agrements_page(request: Request[Any, Any, Any], actor: Any, *, errors: dict[str, str] | None = None,
                          form: dict[str, Any] | None = None, status_code: int = 200) -> Template:
    office = platform().office(request)
    return await platform().render(
        request, actor, "formation_cqc/agrements.html", status_code=status_code, office=office,
        agrements=await agrements.of_office(office.id), labels=agrements.labels(), errors=errors or {},
        form=form or {}, base=platform().office_url(office.id, ""), today=date.today(),
        contract=await platform().service_contract(office.id),
    )


@get("/agrements", opt=ADMIN)
async def agrements_page(request: Request[Any, Any, Any], actor: CurrentActor) -> Template:
    return await _agrements_page(request, actor)


@post("/agrements", opt=ADMIN)
async def add_agrement(request: Request[Any, Any, Any], actor: CurrentActor, data: Form) -> Template | Redirect:
    office = platform().office(request)
    try:
        await agrements.add(office.organisation, office.id, data)  # type: ignore[arg-type]
    except ValidationFailed as error:
        return await _agrements_page(request, actor, errors={e.field: e.message for e in error.errors}, form=data,
                                     status_code=422)
    return Redirect(platform().office_url(office.id, "/agrements"))


def _download(data: bytes, name: str, media_type: str) -> Response[bytes]:
    return Response(data, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@get("/modeles/conducteurs.csv", opt=GATE)
async def csv_template() -> Response[bytes]:
    return _download(files.csv_template(), "modele-conducteurs.csv", "text/csv; charset=utf-8")


@get("/modeles/conducteurs.xlsx", opt=GATE)
async def xlsx_template() -> Response[bytes]:
    return _download(files.xlsx_template(), "modele-conducteurs.xlsx", XLSX)


@get("/releve", opt=GATE)
async def statement_page(request: Request[Any, Any, Any], actor: CurrentActor) -> Template:
    office = platform().office(request)
    statement = await statements.monthly(office.id, statements.parse_month(request.query_params.get("mois"),
                                                                           date.today()))
    return await platform().render(
        request, actor, "formation_cqc/statement.html", office=office, statement=statement,
        contract=await platform().service_contract(office.id),
        base=platform().office_url(office.id, ""),
        training_labels={t.value: label for t, label in rules.TRAINING_LABELS.items()},
    )


@get("/releve.csv", opt=GATE)
async def statement_csv(request: Request[Any, Any, Any]) -> Response[bytes]:
    office = platform().office(request)
    month = statements.parse_month(request.query_params.get("mois"), date.today())
    statement = await statements.monthly(office.id, month)
    return _download(statements.to_csv(statement), f"releve-{month:%Y-%m}.csv", "text/csv; charset=utf-8")


@get("/releve.pdf", opt=GATE)
async def statement_pdf(request: Request[Any, Any, Any], actor: CurrentActor) -> Response[bytes]:
    """The month's invoice as a PDF: provisional for the current month, stored once for a closed month."""
    office = platform().office(request)
    month = statements.parse_month(request.query_params.get("mois"), date.today())
    pdf = await invoices.pdf(actor, office, month, date.today())
    return _download(pdf, f"facture-cqc-{month:%Y-%m}.pdf", "application/pdf")


ROUTES = [statement_pdf, statement_page, statement_csv, sessions_page, agrements_page, add_agrement, csv_template,
          xlsx_template]
