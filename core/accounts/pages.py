"""« Mon espace » pages for a signed-in person: home (modules' sections), documents, data, account."""

from __future__ import annotations

import json
from typing import Annotated, Any

from litestar import Request, Response, Router, get, post
from litestar.di import Provide
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from core.accounts import lifecycle, services
from core.accounts.account import Account
from core.accounts.guards import CurrentAccount, account_guard, provide_account
from core.auth.routes import client_ip
from core.documents import services as documents
from core.documents.http import download
from core.errors import SocleError, ValidationFailed
from core.plugin_api.types import AccountSection
from core.tenancy.tables import Member, User

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
R = Request[Any, Any, Any]


async def page(request: R, account: Account, template: str, status_code: int = 200, **context: Any) -> Template:
    is_staff = await Member.exists().where(Member.user == account.id)
    return Template(template, status_code=status_code,
                    context={"account": account, "path": request.url.path, "is_staff": is_staff, **context})


async def sections(request: R, account: Account) -> list[AccountSection]:
    """The cards of the home page: each healthy module's, then the core's documents."""
    manager = request.app.state.plugins
    found = [s for _, items in await manager.call("register_account_sections", request=request, account=account)
             for s in items or [] if isinstance(s, AccountSection)]
    count = await documents.count_for_account(account.id)
    found.append(AccountSection(title="Mes documents", href="/mon-espace/documents", count=count,
                                text="Attestations, certificats et autres documents qui vous ont été remis."))
    return found


@get("/")
async def home(request: R, account: CurrentAccount) -> Template:
    return await page(request, account, "accounts/home.html", sections=await sections(request, account))


@get("/documents")
async def documents_page(request: R, account: CurrentAccount) -> Template:
    return await page(request, account, "accounts/documents.html",
                      documents=await documents.list_for_account(account.id))


@get("/documents/{document_id:str}")
async def document_download(account: CurrentAccount, document_id: FromPath[str]) -> Response[Any]:
    return download(*await documents.read_for_account(account.id, document_id))


@get("/donnees")
async def data_page(request: R, account: CurrentAccount) -> Template:
    return await page(request, account, "accounts/data.html")


@get("/donnees/export.json")
async def export(request: R, account: CurrentAccount) -> Response[Any]:
    body = await lifecycle.export(request.app.state.plugins, account)
    return Response(json.dumps(body, ensure_ascii=False, indent=2, default=str).encode(),
                    media_type="application/json; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="mes-donnees.json"',
                             "Cache-Control": "private, no-store"})


@post("/donnees/supprimer")
async def erase(request: R, account: CurrentAccount, data: Form) -> Template | Redirect:
    try:
        if (data.get("confirm_email") or "").strip().lower() != account.email:
            raise ValidationFailed.on("confirm_email", "L'adresse saisie n'est pas celle de votre compte : "
                                                       "rien n'a été supprimé.")
        await lifecycle.erase(request.app.state.plugins, account, client_ip(request))
    except SocleError as error:
        return await page(request, account, "accounts/data.html", status_code=error.status_code,
                          error=error.message)
    request.session.clear()  # the cookie is emptied (its user is disabled anyway)
    return Template("accounts/message.html", context={
        "title": "Compte supprimé", "account": None, "next_href": "/mon-espace/inscription",
        "next_label": "Créer un nouvel espace",
        "message": "Votre compte est supprimé et vous êtes déconnecté. Merci d'avoir utilisé Socle."})


async def _account_page(request: R, account: Account, status_code: int = 200, **context: Any) -> Template:
    user = await User.objects().get(User.id == account.id)
    return await page(request, account, "accounts/account.html", status_code=status_code,
                      has_password=bool(user.password_hash), **context)


@get("/compte")
async def account_page(request: R, account: CurrentAccount) -> Template:
    return await _account_page(request, account)


async def _form(request: R, account: Account, action: Any, success: str) -> Template | Redirect:
    try:
        await action()
    except SocleError as error:
        return await _account_page(request, account, error.status_code, errors=error.errors or [error])
    flash(request, success, category="success")
    return Redirect("/mon-espace/compte")


@post("/compte/profil")
async def profile(request: R, account: CurrentAccount, data: Form) -> Template | Redirect:
    return await _form(request, account, lambda: services.update_profile(account, data),
                       "Vos coordonnées sont enregistrées.")


@post("/compte/mot-de-passe")
async def password(request: R, account: CurrentAccount, data: Form) -> Template | Redirect:
    return await _form(request, account, lambda: services.change_password(account, data),
                       "Votre mot de passe est modifié.")


@post("/compte/adresse")
async def email(request: R, account: CurrentAccount, data: Form) -> Template | Redirect:
    base_url = request.app.state.settings.base_url
    return await _form(request, account, lambda: services.request_email_change(
        account, data.get("email", ""), client_ip(request), base_url),
        "Si cette adresse peut être utilisée, un lien de confirmation vient de lui être envoyé.")


@get("/compte/adresse/{token:str}")
async def email_confirm(request: R, account: CurrentAccount, token: FromPath[str]) -> Template | Redirect:
    try:
        new = await services.confirm_email_change(account, token)
    except SocleError as error:
        return await _account_page(request, account, error.status_code, errors=[error])
    flash(request, f"Votre adresse est maintenant {new}.", category="success")
    return Redirect("/mon-espace/compte")


ROUTER = Router("/mon-espace", guards=[account_guard], dependencies={"account": Provide(provide_account)},
                include_in_schema=False,
                route_handlers=[home, documents_page, document_download, data_page, export, erase, account_page,
                                profile, password, email, email_confirm])
ROUTES = [ROUTER]
