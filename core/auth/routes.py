"""Login, logout and password reset pages; the token endpoints of the API."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, delete, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery, JSONBody
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_204_NO_CONTENT

from core import audit, db, notify
from core.auth import services, sessions
from core.auth.guards import CurrentActor, current_actor
from core.auth.schemas import TokenIn, TokenOut
from core.config import Settings
from core.errors import SocleError

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


def _settings(request: Request[Any, Any, Any]) -> Settings:
    return request.app.state.settings


def client_ip(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else ""


def _safe_next(value: str | None) -> str:
    return value if value and value.startswith("/") and not value.startswith("//") else "/dashboard"


@get("/login", include_in_schema=False)
async def login_page(request: Request[Any, Any, Any], next: FromQuery[str] = "/dashboard") -> Template | Redirect:
    if await current_actor(request):
        return Redirect(_safe_next(next))
    return Template("auth/login.html", context={"next": _safe_next(next), "email": ""})


@post("/login", include_in_schema=False)
async def login(request: Request[Any, Any, Any], data: Form) -> Template | Redirect:
    settings = _settings(request)
    email = data.get("email", "")
    try:
        user = await services.authenticate(email, data.get("password", ""), client_ip(request),
                                           settings.login_max_failures, settings.login_window_seconds)
        actor = await services.actor_for(user.id, None)
    except SocleError as error:
        return Template("auth/login.html", status_code=error.status_code,
                        context={"error": error.message, "email": email, "next": _safe_next(data.get("next"))})
    await log_in(request, user.id, actor.organisation_id if actor else None)
    if actor is None:  # a person the offices serve, member of no organisation: « Mon espace »
        wanted = _safe_next(data.get("next"))
        return Redirect(wanted if wanted.startswith("/mon-espace") else "/mon-espace/")
    return Redirect(_safe_next(data.get("next")))


async def log_in(request: Request[Any, Any, Any], user_id: int, organisation_id: int | None) -> None:
    """Start a browser session for the user: a fresh cookie whose key is a server-side session row (every
    login route goes through here, so logout and « Se déconnecter partout » reach every session)."""
    key = await sessions.open_session(user_id)
    request.session.clear()
    request.session.update({"uid": user_id, "org": organisation_id, "sid": key})


@post("/logout", include_in_schema=False)
async def logout(request: Request[Any, Any, Any]) -> Redirect:
    session = request.scope.get("session")
    await sessions.close_session(str(session.get("sid") or "") if isinstance(session, dict) else "")
    request.clear_session()
    return Redirect("/login")


@post("/logout/everywhere", include_in_schema=False)
async def logout_everywhere(request: Request[Any, Any, Any], actor: CurrentActor) -> Redirect:
    """« Se déconnecter partout »: every browser session of the user ends, this one included."""
    ended = await sessions.close_all_sessions(actor.user_id)
    await audit.record("auth.logout_everywhere", organisation_id=actor.organisation_id, actor_user_id=actor.user_id,
                       ip=client_ip(request), target=f"user:{actor.user_id}",
                       summary=f"Déconnexion de toutes les sessions ({ended})")
    request.session.clear()  # keeps a (now anonymous) session for the flash message
    flash(request, "Vous avez été déconnecté(e) de toutes vos sessions.", category="success")
    return Redirect("/login")


@get("/password/forgot", include_in_schema=False)
async def forgot_page() -> Template:
    return Template("auth/forgot.html")


@post("/password/forgot", include_in_schema=False)
async def forgot(request: Request[Any, Any, Any], data: Form) -> Template | Redirect:
    settings = _settings(request)
    try:
        await _send_reset_link(settings, data.get("email", ""), client_ip(request))
    except SocleError as error:
        return Template("auth/forgot.html", status_code=error.status_code, context={"error": error.message})
    flash(request, "Si un compte existe pour cette adresse, un e-mail vient de vous être envoyé.", category="info")
    return Redirect("/login")


async def _send_reset_link(settings: Settings, email: str, ip: str) -> None:
    async with db.write_transaction():  # the request, the token and its email are committed together
        found = await services.request_password_reset(email, ip, settings.reset_max_per_email,
                                                      settings.reset_max_per_ip, settings.reset_window_seconds)
        if found:
            user, token = found
            await notify.enqueue_email(user.email, "Réinitialisation de votre mot de passe Socle",
                                       template="password_reset",
                                       context={"link": f"{settings.base_url}/password/reset/{token}"})


@get("/password/reset/{token:str}", include_in_schema=False)
async def reset_page(token: FromPath[str]) -> Template:
    return Template("auth/reset.html", context={"token": token})


@post("/password/reset/{token:str}", include_in_schema=False)
async def reset(request: Request[Any, Any, Any], token: FromPath[str], data: Form) -> Template | Redirect:
    try:
        await services.finish_password_reset(token, data.get("password", ""), data.get("confirmation", ""))
    except SocleError as error:
        return Template("auth/reset.html", status_code=error.status_code,
                        context={"token": token, "errors": error.errors or [error]})
    flash(request, "Votre mot de passe a été modifié. Vous pouvez vous connecter.", category="success")
    return Redirect("/login")


# -- API ---------------------------------------------------------------------------------------


@post("/api/v1/auth/token", tags=["auth"], summary="Obtenir un jeton d'API")
async def create_token(request: Request[Any, Any, Any], data: JSONBody[TokenIn]) -> TokenOut:
    settings = _settings(request)
    user = await services.authenticate(data.email, data.password, client_ip(request),
                                       settings.login_max_failures, settings.login_window_seconds)
    token, actor = await services.create_api_token(user, data.organisation_id, data.name)
    return TokenOut(token=token, organisation_id=actor.organisation_id, member_id=actor.member_id,
                    role=actor.role.value)


@delete("/api/v1/auth/token", tags=["auth"], summary="Révoquer le jeton présenté", status_code=HTTP_204_NO_CONTENT)
async def revoke_token(request: Request[Any, Any, Any], actor: CurrentActor) -> None:
    token = request.headers.get("authorization", "").partition(" ")[2].strip()
    await services.revoke_api_token(actor, token)


ROUTES = [login_page, login, logout, logout_everywhere, forgot_page, forgot, reset_page, reset,
          create_token, revoke_token]
