"""Who is calling, and guards on roles.

Pages use the session cookie (CSRF-protected forms); `/api` uses `Authorization: Bearer <token>` only.
The actor is resolved once per request and cached on the connection state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeAlias

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.handlers.base import BaseRouteHandler

from core.auth import services, sessions, token_cache
from core.errors import NotAuthenticated
from core.operators import suspension
from core.tenancy.actor import Actor
from core.tenancy.roles import Role

_UNSET = object()

# Handlers declare `actor: CurrentActor` to receive the authenticated member.
CurrentActor: TypeAlias = NamedDependency[Actor]


def is_api(connection: ASGIConnection[Any, Any, Any, Any]) -> bool:
    return connection.scope["path"].startswith("/api/")


def _bearer_token(headers: Iterable[tuple[bytes, bytes]]) -> str:
    """The token of the first `Authorization: Bearer` header, read from the raw ASGI headers (building
    Litestar's Headers object costs more than the token lookup on the API's hottest path)."""
    for name, value in headers:
        if name.lower() == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            return token.strip() if scheme.lower() == "bearer" else ""
    return ""


async def current_actor(connection: ASGIConnection[Any, Any, Any, Any]) -> Actor | None:
    cached = connection.scope.get("socle_actor", _UNSET)
    if cached is not _UNSET:
        return cached  # type: ignore[return-value]
    actor: Actor | None = None
    if is_api(connection):
        token = _bearer_token(connection.scope["headers"])
        if token:  # a cached token needs no await (this runs on every API request)
            digest = services.token_digest(token)
            actor = token_cache.recall(digest) or await services.read_token_actor(digest)
    else:
        session = connection.scope.get("session") or {}
        if isinstance(session, dict) and session.get("uid"):
            actor = await services.actor_for_session(str(session.get("sid") or ""), int(session["uid"]),
                                                     session.get("org"))
            if actor is None and not await sessions.is_valid(str(session.get("sid") or ""), int(session["uid"])):
                session.clear()  # logged out, elsewhere or everywhere: the cookie is anonymous from now on
        elif isinstance(session, dict) and session.get("op_view"):  # an operator's « voir comme » (read-only)
            from core.operators.view_as import actor_for_visit

            visit = await actor_for_visit(session, connection.scope.get("method", "GET"), connection.scope["path"])
            if visit is not None:
                actor, connection.scope["socle_view_as"] = visit  # type: ignore[typeddict-unknown-key]
    connection.scope["socle_actor"] = actor  # type: ignore[typeddict-unknown-key]
    if actor is not None:  # a suspended organisation's members see the operator's notice (pages and API)
        ids = suspension.fresh_suspended_ids()
        if ids is None or actor.organisation_id in ids:
            await suspension.check_member(actor.organisation_id)
    return actor


async def session_user_id(connection: ASGIConnection[Any, Any, Any, Any]) -> int | None:
    """The logged-in user of a page request while their server-side session is open, member or not (for
    pages such as « Mon espace » that need a person rather than a member)."""
    session = connection.scope.get("session") or {}
    if not isinstance(session, dict) or not session.get("uid"):
        return None
    user_id = int(session["uid"])
    return user_id if await sessions.is_valid(str(session.get("sid") or ""), user_id) else None


async def provide_actor(request: Request[Any, Any, Any]) -> Actor:
    """Dependency `actor`: the authenticated member, or 401 (API) / redirect to the login page."""
    actor = await current_actor(request)
    if actor is None:
        raise NotAuthenticated()
    return actor


def require_role(role: Role) -> Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Any]:
    """Guard: the member's role must be at least `role` (403 otherwise, 401 when not logged in)."""

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        actor = await current_actor(connection)
        if actor is None:
            raise NotAuthenticated()
        actor.require(role)

    guard.__name__ = f"require_{role.value}"
    return guard


authenticated = require_role(Role.intervenant)
