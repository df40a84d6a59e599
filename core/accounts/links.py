"""One-use emailed links (sign-up, login, new address): only the token's SHA-256 is stored; a link
expires, serves once, and requests are throttled per address and per IP without telling which."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from core.accounts.tables import AccountLink
from core.auth.services import token_digest
from core.errors import NotFound, SocleError, TooManyRequests


class Purpose(StrEnum):
    signup = "signup"
    login = "login"
    email = "email"


LIFETIME = {Purpose.signup: timedelta(hours=24), Purpose.login: timedelta(minutes=30),
            Purpose.email: timedelta(hours=24)}
PER_EMAIL_PER_HOUR = 3  # beyond this, requests for that address are silently ignored (no mail bombing)
PER_IP_PER_HOUR = 30  # beyond this, 429 for everyone from that address, known emails or not


class LinkGone(SocleError):
    """An expired or already used link (410: the link existed, it will not work again)."""

    status_code = 410


def now() -> datetime:
    return datetime.now(UTC)


async def may_send(email: str, ip: str) -> bool:
    """False when that address already had its share of links this hour; 429 when the IP had."""
    since = now() - timedelta(hours=1)
    if ip and await AccountLink.count().where((AccountLink.ip == ip) & (AccountLink.created_at > since)) \
            >= PER_IP_PER_HOUR:
        raise TooManyRequests("Trop de demandes depuis votre connexion. Réessayez dans une heure.")
    return await AccountLink.count().where((AccountLink.email == email) & (AccountLink.created_at > since)) \
        < PER_EMAIL_PER_HOUR


async def create(purpose: Purpose, email: str, ip: str, user_id: int | None = None) -> str:
    """A new link's token (call inside the transaction that enqueues its email)."""
    token = secrets.token_urlsafe(32)
    await AccountLink.insert(AccountLink(purpose=purpose.value, email=email, user=user_id, ip=ip[:64],
                                         token_hash=token_digest(token),
                                         expires_at=now() + LIFETIME[purpose])).run()
    return token


async def peek(purpose: Purpose, token: str) -> AccountLink:
    """The link, still usable: NotFound for a wrong token, LinkGone when used or expired."""
    row = await AccountLink.objects().where((AccountLink.token_hash == token_digest(token or ""))
                                            & (AccountLink.purpose == purpose.value)).first()
    if row is None:
        raise NotFound("Ce lien n'est pas valable. Vérifiez qu'il est complet, ou demandez-en un nouveau.")
    if row.used_at is not None:
        raise LinkGone("Ce lien a déjà servi. Connectez-vous, ou demandez un nouveau lien.")
    if row.expires_at <= now():
        raise LinkGone("Ce lien a expiré. Demandez-en un nouveau.")
    return row


async def consume(purpose: Purpose, token: str) -> AccountLink:
    """Mark the link used (inside a write transaction; a concurrent use loses with LinkGone)."""
    row = await peek(purpose, token)
    updated = await AccountLink.update({AccountLink.used_at: now()}).where(
        (AccountLink.id == row.id) & AccountLink.used_at.is_null()).returning(AccountLink.id)
    if not updated:
        raise LinkGone("Ce lien a déjà servi. Connectez-vous, ou demandez un nouveau lien.")
    return row
