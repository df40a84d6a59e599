"""« Mes formations » and « Mes documents » under /mon-espace/m/formation_cqc/ (a signed-in driver), and the
claim form: licence number + birth date + surname link the driver's registrations to the account."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template

from core.plugin_api import ValidationFailed
from plugins.formation_cqc.runtime import platform
from plugins.formation_cqc.services import cards, drivers

R = Request[Any, Any, Any]


async def _formations(request: R, *, form: dict[str, str] | None = None, errors: dict[str, str] | None = None,
                      message: str = "", failed: bool = False, status_code: int = 200) -> Template:
    account = platform().account(request)
    return await platform().render_account(
        request, "formation_cqc/account/formations.html", status_code=status_code,
        formations=await drivers.formations(account), form=form or {}, errors=errors or {}, message=message,
        failed=failed, base=platform().account_url(""))


@get("/formations")
async def formations_page(request: R) -> Template:
    claimed = request.query_params.get("rattachees", "")
    message = f"{claimed} formation(s) rattachée(s) à votre compte." if claimed.isdigit() else ""
    return await _formations(request, message=message)


@post("/formations/rattacher")
async def claim(request: R) -> Template | Redirect:
    form = {k: str(v) for k, v in (await request.form()).items() if k in ("licence", "birth_date", "last_name")}
    try:
        claimed = await drivers.claim(platform().account(request), form)
    except ValidationFailed as error:
        return await _formations(request, form=form, errors={e.field: e.message for e in error.errors},
                                 message=error.message, failed=True, status_code=error.status_code)
    return Redirect(platform().account_url(f"/formations?rattachees={claimed}"), status_code=303)


@get("/documents")
async def documents_page(request: R) -> Template:
    docs = await drivers.my_documents(platform().account(request))
    return await platform().render_account(request, "formation_cqc/account/documents.html", documents=docs,
                                           base=platform().account_url(""))


async def _card(request: R, *, form: dict[str, str] | None = None, errors: dict[str, str] | None = None,
                message: str = "", failed: bool = False, status_code: int = 200) -> Template:
    account = platform().account(request)
    return await platform().render_account(
        request, "formation_cqc/account/card.html", status_code=status_code,
        choices=await cards.eligible(account, date.today()), requests=await cards.of_account(account),
        form=form or {"line": request.query_params.get("ligne", "")}, errors=errors or {}, message=message,
        failed=failed, base=platform().account_url(""), statuses=cards.STATUS_LABELS)


@get("/carte-cqc")
async def card_page(request: R) -> Template:
    message = "Votre demande de carte CQC est enregistrée. Un courriel de confirmation vous a été envoyé." \
        if request.query_params.get("envoyee") else ""
    return await _card(request, message=message)


@post("/carte-cqc")
async def card_request(request: R) -> Template | Redirect:
    fields = ("line", "address", "postcode", "city", "confirm")
    form = {k: str(v) for k, v in (await request.form()).items() if k in fields}
    try:
        await cards.request_card(platform().account(request), form, date.today())
    except ValidationFailed as error:
        return await _card(request, form=form, errors={e.field: e.message for e in error.errors},
                           message=error.message, failed=True, status_code=422)
    return Redirect(platform().account_url("/carte-cqc?envoyee=1"), status_code=303)


ROUTES = [formations_page, claim, documents_page, card_page, card_request]
