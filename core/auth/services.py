"""Authentication rules: password login with throttling, API tokens, password reset."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from core import audit, db
from core.auth import sessions, token_cache
from core.auth.passwords import hash_password, verify_password
from core.auth.tables import ApiToken, LoginAttempt, PasswordResetRequest, PasswordResetToken
from core.errors import NotAuthenticated, NotFound, TooManyRequests, ValidationFailed
from core.tenancy.actor import Actor
from core.tenancy.roles import Role
from core.tenancy.tables import User
from core.tenancy.validation import Checker

RESET_TOKEN_LIFETIME = timedelta(hours=24)
BAD_CREDENTIALS = "Adresse e-mail ou mot de passe incorrect."


def now() -> datetime:
    return datetime.now(UTC)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def _check_throttle(email: str, ip: str, max_failures: int, window_seconds: int) -> None:
    since = now() - timedelta(seconds=window_seconds)
    failures = await LoginAttempt.count().where(
        (LoginAttempt.at > since) & (LoginAttempt.success == False)  # noqa: E712
        & ((LoginAttempt.email == email) | (LoginAttempt.ip == ip))
    )
    if failures >= max_failures:
        raise TooManyRequests("Trop de tentatives de connexion. Réessayez dans quelques minutes.")


async def authenticate(email: str, password: str, ip: str, max_failures: int = 5,
                       window_seconds: int = 900) -> User:
    """The active user with these credentials, or NotAuthenticated; refuses when throttled."""
    email = (email or "").strip().lower()
    await _check_throttle(email, ip, max_failures, window_seconds)
    user = await User.objects().where(User.email == email).first()
    ok = user is not None and user.active and await verify_password(user.password_hash, password or "")
    await LoginAttempt.insert(LoginAttempt(email=email, ip=ip, success=ok)).run()
    if not ok or user is None:
        raise NotAuthenticated(BAD_CREDENTIALS)
    await audit.record("auth.login", actor_user_id=user.id, ip=ip, target=f"user:{user.id}",
                       summary=f"Connexion de {email}")
    return user


_ACTOR_SQL = """
    SELECT m.id AS member_id, m.role, m.display_name, m.organisation, u.id AS user_id, u.email
    FROM core_member m JOIN core_user u ON u.id = m."user"
    WHERE m."user" = {} AND u.active
"""

_TOKEN_ACTOR_SQL = """
    SELECT m.id AS member_id, m.role, m.display_name, m.organisation, u.id AS user_id, u.email
    FROM core_api_token t
    JOIN core_member m ON m.organisation = t.organisation AND m."user" = t."user"
    JOIN core_user u ON u.id = t."user"
    WHERE t.token_hash = {} AND t.revoked_at IS NULL AND u.active
"""


_SESSION_ACTOR_SQL = """
    SELECT m.id AS member_id, m.role, m.display_name, m.organisation, u.id AS user_id, u.email
    FROM core_login_session s
    JOIN core_user u ON u.id = s."user"
    JOIN core_member m ON m."user" = s."user"
    WHERE s.key_hash = {} AND s."user" = {} AND s.expires_at > {} AND u.active
"""


def _actor(row: Sequence[Any]) -> Actor:
    member_id, role, display_name, organisation_id, user_id, email = row
    return Actor(user_id, email, member_id, organisation_id, Role(role), display_name)


async def actor_for(user_id: int, organisation_id: int | None) -> Actor | None:
    """The user acting in that organisation (or their first one when none is chosen). One query: this runs
    on every page request."""
    if organisation_id is None:
        rows = await db.fetch_tuples(_ACTOR_SQL + " ORDER BY m.id LIMIT 1", user_id)
    else:
        rows = await db.fetch_tuples(_ACTOR_SQL + " AND m.organisation = {}", user_id, organisation_id)
    return _actor(rows[0]) if rows else None


async def actor_for_session(session_key: str, user_id: int, organisation_id: int | None) -> Actor | None:
    """Like `actor_for`, only while the cookie's server-side session is open (logout, « Se déconnecter
    partout », a password change or reset close it). Still one query: this runs on every page request."""
    if not session_key:
        return None
    args: tuple[Any, ...] = (token_digest(session_key), user_id, sessions.epoch())
    if organisation_id is None:
        rows = await db.fetch_tuples(_SESSION_ACTOR_SQL + " ORDER BY m.id LIMIT 1", *args)
    else:
        rows = await db.fetch_tuples(_SESSION_ACTOR_SQL + " AND m.organisation = {}", *args, organisation_id)
    return _actor(rows[0]) if rows else None


# -- API tokens --------------------------------------------------------------------------------


async def create_api_token(user: User, organisation_id: int | None, name: str = "") -> tuple[str, Actor]:
    actor = await actor_for(user.id, organisation_id)
    if actor is None:
        raise NotFound("Vous n'êtes membre d'aucune organisation correspondante.")
    token = "sk_" + secrets.token_urlsafe(32)
    await ApiToken.insert(ApiToken(organisation=actor.organisation_id, user=user.id, name=name[:100],
                                   token_hash=token_digest(token))).run()
    return token, actor


async def actor_for_token(token: str) -> Actor:
    """The member behind a bearer token: from the process's token cache (core.auth.token_cache) while fresh,
    else one query (this runs on every API request)."""
    digest = token_digest(token)
    actor = token_cache.recall(digest)
    return actor if actor is not None else await read_token_actor(digest)


async def read_token_actor(digest: str) -> Actor:
    """The member behind a token hash, read from the database (and cached)."""
    read_at = token_cache.generation()
    rows = await db.fetch_tuples(_TOKEN_ACTOR_SQL, digest)
    if not rows:
        raise NotAuthenticated("Jeton d'API invalide ou révoqué.")
    actor = _actor(rows[0])
    token_cache.keep(digest, actor, read_at)
    return actor


async def revoke_api_token(actor: Actor, token: str) -> None:
    """Revoke the presented token (a user revokes their own token)."""
    updated = await ApiToken.update({ApiToken.revoked_at: now()}).where(
        (ApiToken.token_hash == token_digest(token)) & (ApiToken.user == actor.user_id)
    ).returning(ApiToken.id)
    token_cache.forget_all()
    if not updated:
        raise NotFound("Jeton inconnu.")


async def list_api_tokens(actor: Actor) -> list[dict]:
    return await ApiToken.select(ApiToken.id, ApiToken.name, ApiToken.created_at, ApiToken.revoked_at).where(
        (ApiToken.user == actor.user_id) & (ApiToken.organisation == actor.organisation_id)
    ).order_by(ApiToken.id)


async def revoke_api_token_by_id(actor: Actor, token_id: object) -> None:
    updated = await ApiToken.update({ApiToken.revoked_at: now()}).where(
        (ApiToken.id == int(str(token_id))) if str(token_id).isdigit() else (ApiToken.id == -1)
    ).where((ApiToken.user == actor.user_id) & (ApiToken.organisation == actor.organisation_id)).returning(ApiToken.id)
    token_cache.forget_all()
    if not updated:
        raise NotFound("Jeton inconnu.")


# -- password reset ----------------------------------------------------------------------------

RESET_THROTTLED = "Trop de demandes de réinitialisation. Réessayez dans quelques minutes."


async def request_password_reset(email: str, ip: str, max_per_email: int = 3, max_per_ip: int = 10,
                                 window_seconds: int = 3600) -> tuple[User, str] | None:
    """A « mot de passe oublié » request: throttled per address and per IP whether the account exists or not
    (so the refusal says nothing about it), then `start_password_reset`."""
    email = (email or "").strip().lower()[:254]
    since = now() - timedelta(seconds=window_seconds)
    window = PasswordResetRequest.at > since
    by_email = await PasswordResetRequest.count().where(window & (PasswordResetRequest.email == email))
    by_ip = await PasswordResetRequest.count().where(window & (PasswordResetRequest.ip == ip))
    if by_email >= max_per_email or by_ip >= max_per_ip:
        raise TooManyRequests(RESET_THROTTLED)
    await PasswordResetRequest.insert(PasswordResetRequest(email=email, ip=ip[:64])).run()
    return await start_password_reset(email)


async def start_password_reset(email: str) -> tuple[User, str] | None:
    """A one-use token for that user (None when unknown: the page says the same either way)."""
    user = await User.objects().where(User.email == (email or "").strip().lower()).first()
    if user is None or not user.active:
        return None
    token = secrets.token_urlsafe(32)
    await PasswordResetToken.insert(PasswordResetToken(
        user=user.id, token_hash=token_digest(token), expires_at=now() + RESET_TOKEN_LIFETIME)).run()
    return user, token


async def _end_credentials(user_id: int, *, api_tokens: bool, keep_session: str | None = None) -> None:
    """After a new password: every browser session (but `keep_session`) and every outstanding reset link end;
    with `api_tokens`, the user's API tokens are revoked too (a reset means the password may have leaked)."""
    await sessions.close_all_sessions(user_id, keep=keep_session)
    await PasswordResetToken.update({PasswordResetToken.used_at: now()}).where(
        (PasswordResetToken.user == user_id) & PasswordResetToken.used_at.is_null())
    if api_tokens:
        await ApiToken.update({ApiToken.revoked_at: now()}).where(
            (ApiToken.user == user_id) & ApiToken.revoked_at.is_null())
        token_cache.forget_all()


async def finish_password_reset(token: str, password: str, confirmation: str) -> User:
    """Set the new password; ends the user's sessions, API tokens and every other reset link."""
    check = Checker()
    check.password("password", password)
    if password != confirmation:
        check.add("confirmation", "Les deux mots de passe ne correspondent pas.")
    check.done()
    new_hash = await hash_password(password)
    async with db.write_transaction():
        row = await PasswordResetToken.objects().where(
            (PasswordResetToken.token_hash == token_digest(token or ""))
            & PasswordResetToken.used_at.is_null() & (PasswordResetToken.expires_at > now())
        ).first()
        if row is None:
            raise ValidationFailed.on("token", "Ce lien n'est plus valide. Demandez-en un nouveau.")
        await User.update({User.password_hash: new_hash}).where(User.id == row.user)
        await _end_credentials(row.user, api_tokens=True)
        user = await User.objects().get(User.id == row.user)
        await audit.record("auth.password_reset", actor_user_id=user.id, target=f"user:{user.id}",
                           summary=f"Nouveau mot de passe pour {user.email} (sessions et jetons d'API révoqués)")
    token_cache.forget_all()  # again once committed: a read between the first forget and the commit is stale
    return user


async def change_password(user_id: int, current: str, password: str, confirmation: str,
                          keep_session: str | None = None) -> None:
    """The user changes their own password (« Mon compte »): the current one must be right. Every other
    session and every outstanding reset link end; pass the caller's session key as `keep_session` to stay
    logged in on this browser. API tokens stay (revoke them one by one, or by a reset)."""
    check = Checker()
    user = await User.objects().where(User.id == user_id).first()
    if user is None or not await verify_password(user.password_hash, current or ""):
        check.add("current_password", "Le mot de passe actuel est incorrect.")
    check.password("password", password)
    if password != confirmation:
        check.add("confirmation", "Les deux mots de passe ne correspondent pas.")
    check.done()
    new_hash = await hash_password(password)
    async with db.write_transaction():
        await User.update({User.password_hash: new_hash}).where(User.id == user_id)
        await _end_credentials(user_id, api_tokens=False, keep_session=keep_session)
        await audit.record("auth.password_changed", actor_user_id=user_id, target=f"user:{user_id}",
                           summary="Mot de passe modifié (autres sessions fermées)")
