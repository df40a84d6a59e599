"""Sign-up and login-link pages of « Mon espace » (no login needed). Same answer for known and unknown
addresses; a link is used by a POST (mail scanners that open links do not consume them)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template

from core.accounts import services
from core.accounts.guards import current_account
from core.auth.routes import client_ip, log_in
from core.auth.services import actor_for
from core.errors import SocleError

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
R = Request[Any, Any, Any]
HOME = "/mon-espace/"


def _base_url(request: R) -> str:
    return str(request.app.state.settings.base_url)


async def open_session(request: R, user_id: int) -> None:
    """Log the person in (a fresh session, as the password login does), in their first organisation if any."""
    actor = await actor_for(user_id, None)
    await log_in(request, user_id, actor.organisation_id if actor else None)


def _dead_link(error: SocleError, next_href: str, next_label: str) -> Template:
    return Template("accounts/message.html", status_code=error.status_code,
                    context={"title": "Lien inutilisable", "message": error.message, "next_href": next_href,
                             "next_label": next_label, "account": None})


@get("/mon-espace/inscription", include_in_schema=False)
async def signup_page(request: R) -> Template | Redirect:
    if await current_account(request):
        return Redirect(HOME)
    return Template("accounts/signup.html", context={"account": None})


@post("/mon-espace/inscription", include_in_schema=False)
async def signup(request: R, data: Form) -> Template:
    email = data.get("email", "")
    try:
        await services.request_signup(email, client_ip(request), _base_url(request))
    except SocleError as error:  # a bad address (422), too many requests from this IP (429)
        return Template("accounts/signup.html", status_code=error.status_code,
                        context={"error": error.message, "email": email, "account": None})
    return Template("accounts/signup.html", context={"sent": services.SAME_ANSWER, "account": None})


@get("/mon-espace/inscription/{token:str}", include_in_schema=False)
async def signup_finish_page(token: FromPath[str]) -> Template:
    try:
        email = await services.signup_email(token)
    except SocleError as error:
        return _dead_link(error, "/mon-espace/inscription", "Recommencer l'inscription")
    return Template("accounts/signup_finish.html", context={"token": token, "email": email, "values": {},
                                                            "account": None})


@post("/mon-espace/inscription/{token:str}", include_in_schema=False)
async def signup_finish(request: R, token: FromPath[str], data: Form) -> Template | Redirect:
    try:
        user_id = await services.finish_signup(token, data)
    except SocleError as error:
        if error.status_code in (404, 410):
            return _dead_link(error, "/mon-espace/inscription", "Recommencer l'inscription")
        if error.status_code == 409:
            return _dead_link(error, "/login?next=/mon-espace/", "Me connecter")
        email = await services.signup_email(token)
        return Template("accounts/signup_finish.html", status_code=error.status_code,
                        context={"token": token, "email": email, "values": data, "errors": error.errors or [error],
                                 "account": None})
    await open_session(request, user_id)
    return Redirect(HOME)


@get("/mon-espace/connexion", include_in_schema=False)
async def link_page() -> Template:
    return Template("accounts/link_request.html", context={"account": None})


@post("/mon-espace/connexion", include_in_schema=False)
async def link_request(request: R, data: Form) -> Template:
    try:
        await services.request_login_link(data.get("email", ""), client_ip(request), _base_url(request))
    except SocleError as error:
        return Template("accounts/link_request.html", status_code=error.status_code,
                        context={"error": error.message, "account": None})
    return Template("accounts/link_request.html", context={"sent": services.SAME_ANSWER, "account": None})


@get("/mon-espace/connexion/{token:str}", include_in_schema=False)
async def link_confirm_page(token: FromPath[str]) -> Template:
    try:
        await services.check_login_link(token)
    except SocleError as error:
        return _dead_link(error, "/mon-espace/connexion", "Demander un nouveau lien")
    return Template("accounts/link_confirm.html", context={"token": token, "account": None})


@post("/mon-espace/connexion/{token:str}", include_in_schema=False)
async def link_login(request: R, token: FromPath[str]) -> Template | Redirect:
    try:
        user_id = await services.login_by_link(token, client_ip(request))
    except SocleError as error:
        return _dead_link(error, "/mon-espace/connexion", "Demander un nouveau lien")
    await open_session(request, user_id)
    return Redirect(HOME)


ROUTES = [signup_page, signup, signup_finish_page, signup_finish, link_page, link_request, link_confirm_page,
          link_login]
