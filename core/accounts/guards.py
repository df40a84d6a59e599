"""Who is signed in on « Mon espace »: the session's user, member of an organisation or not."""

from __future__ import annotations

from typing import Any, TypeAlias

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.handlers.base import BaseRouteHandler

from core.accounts import services
from core.accounts.account import Account
from core.auth.guards import session_user_id
from core.errors import NotAuthenticated, NotFound

_UNSET = object()
ACCOUNT_SCOPE = "socle_account"

# « Mon espace » handlers declare `account: CurrentAccount` to receive the signed-in person.
CurrentAccount: TypeAlias = NamedDependency[Account]


async def current_account(connection: ASGIConnection[Any, Any, Any, Any]) -> Account | None:
    cached = connection.scope.get(ACCOUNT_SCOPE, _UNSET)  # type: ignore[call-overload]
    if cached is not _UNSET:
        return cached  # type: ignore[no-any-return]
    session = connection.scope.get("session") or {}
    account = None
    user_id = await session_user_id(connection)  # only while the server-side session is open
    if user_id is not None:
        account = await services.account(user_id)
    if account is None and isinstance(session, dict) and session.get("uid"):
        session.clear()  # logged out elsewhere, erased or disabled since: the session ends now
    connection.scope[ACCOUNT_SCOPE] = account  # type: ignore[literal-required]
    return account


async def _refuse_operator_view(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    """An operator's « voir comme » never opens « Mon espace » (a person's space, not the organisation's)."""
    from core.operators.view_as import refuse_personal_space

    await refuse_personal_space(connection.scope.get("session"), connection.scope["path"])


async def account_guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Every « Mon espace » page: a signed-in person, or the login page (403 during an operator's visit)."""
    if await current_account(connection) is None:
        await _refuse_operator_view(connection)
        raise NotAuthenticated()


async def provide_account(request: Request[Any, Any, Any]) -> Account:
    account = await current_account(request)
    if account is None:
        raise NotAuthenticated()
    return account


def module_account_guard(plugin_id: str) -> Any:
    """A module's account routes: a signed-in person, and the module healthy (404 otherwise)."""

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        if plugin_id not in connection.app.state.plugins.healthy_ids():
            raise NotFound("Ce service n'est pas disponible.")
        if await current_account(connection) is None:
            await _refuse_operator_view(connection)
            raise NotAuthenticated()

    guard.__name__ = f"account_{plugin_id}"
    return guard
