"""Operator accounts: creation (`socle create-operator`), login with password + second factor, sessions."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from core import audit, db
from core.auth.passwords import hash_password, verify_password
from core.errors import NotAuthenticated, ValidationFailed
from core.operators import totp
from core.operators.tables import Operator, OperatorLoginFailure, OperatorRecoveryCode, OperatorSession

SESSION_KEY = "op_sid"  # the operator's key in the browser's session
SESSION_SECONDS = 8 * 3600
MAX_FAILURES = 5  # refused logins per e-mail address within THROTTLE_WINDOW, then every login is refused
THROTTLE_WINDOW = timedelta(minutes=15)
WRONG = "Adresse e-mail, mot de passe ou code incorrect."


@dataclass(frozen=True, slots=True)
class NewOperator:
    email: str
    password: str
    secret: str
    uri: str
    recovery_codes: list[str]


async def create_operator(email: str, password: str | None = None) -> NewOperator:
    """A new operator with a TOTP secret and ten recovery codes (shown once: only their hashes are kept)."""
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise ValidationFailed.on("email", "Adresse e-mail invalide.")
    if await Operator.exists().where(Operator.email == email):
        raise ValidationFailed.on("email", "Un opérateur existe déjà avec cette adresse.")
    password = password or secrets.token_urlsafe(12)
    if len(password) < 10:
        raise ValidationFailed.on("password", "Le mot de passe doit comporter au moins 10 caractères.")
    secret = totp.new_secret()
    codes = totp.new_recovery_codes()
    async with db.write_transaction():
        operator = Operator(email=email, password_hash=await hash_password(password), totp_secret=secret)
        await operator.save()
        await OperatorRecoveryCode.insert(*[OperatorRecoveryCode(operator=operator.id, code_hash=totp.digest(c))
                                            for c in codes])
        await audit.record("operator.created", target=f"operator:{operator.id}",
                           summary=f"Opérateur créé : {email}")
    return NewOperator(email, password, secret, totp.provisioning_uri(secret, email), codes)


async def authenticate(email: str, password: str, code: str, ip: str = "", now: float | None = None) -> Operator:
    """Password, then a TOTP code of a step later than the last one accepted, or an unused recovery code.
    Any failure gives the same message (no hint of which part was wrong). After `MAX_FAILURES` refusals for an
    address within `THROTTLE_WINDOW`, every login with it is refused with that same message (audited), even
    with the right password and code, until the window has passed."""
    email = email.strip().lower()[:254]
    since = datetime.fromtimestamp(now, UTC) if now is not None else _now()
    failures = await OperatorLoginFailure.count().where(
        (OperatorLoginFailure.email == email) & (OperatorLoginFailure.at > since - THROTTLE_WINDOW))
    if failures >= MAX_FAILURES:
        await audit.record("operator.login_throttled", target=f"operator-email:{email}", ip=ip,
                           summary=f"Connexion opérateur bloquée ({failures} échecs en 15 min) pour {email}")
        raise NotAuthenticated(WRONG)
    operator = await Operator.objects().where(
        (Operator.email == email) & (Operator.active == True)).first()  # noqa: E712
    if operator is None or not await verify_password(operator.password_hash, password):
        await _failed(email, since)
        raise NotAuthenticated(WRONG)
    if not await _second_factor(operator, code, now):
        await _failed(email, since)
        await audit.record("operator.login_refused", target=f"operator:{operator.id}", ip=ip,
                           summary=f"Second facteur refusé pour {operator.email}")
        raise NotAuthenticated(WRONG)
    await audit.record("operator.login", target=f"operator:{operator.id}", ip=ip,
                       summary=f"Connexion de l'opérateur {operator.email}")
    return operator


async def _second_factor(operator: Operator, code: str, now: float | None) -> bool:
    step = totp.matching_step(operator.totp_secret, code, now)
    if step is not None:
        # Conditional update: of two requests with the same code, only one moves the step forward.
        moved = await Operator.update({Operator.totp_last_step: step}).where(
            (Operator.id == operator.id) & (Operator.totp_last_step < step)).returning(Operator.id)
        return bool(moved)
    if not code.strip():
        return False
    used = await OperatorRecoveryCode.update({OperatorRecoveryCode.used_at: _now()}).where(
        (OperatorRecoveryCode.operator == operator.id) & (OperatorRecoveryCode.code_hash == totp.digest(code))
        & OperatorRecoveryCode.used_at.is_null()).returning(OperatorRecoveryCode.id)
    return bool(used)


async def _failed(email: str, at: datetime) -> None:
    """Keep this refusal; the address's refusals older than the window are of no use any more."""
    async with db.write_transaction():
        await OperatorLoginFailure.delete().where((OperatorLoginFailure.email == email)
                                                  & (OperatorLoginFailure.at <= at - THROTTLE_WINDOW))
        await OperatorLoginFailure.insert(OperatorLoginFailure(email=email, at=at)).run()


def _now() -> datetime:
    return datetime.now(UTC)


def _key_digest(key: str) -> str:
    return totp.digest(key)


async def open_session(operator_id: int) -> str:
    key = secrets.token_urlsafe(32)
    now = int(time.time())
    async with db.write_transaction():
        await OperatorSession.delete().where(OperatorSession.expires_at <= now)
        await OperatorSession.insert(OperatorSession(key_hash=_key_digest(key), operator=operator_id,
                                                     expires_at=now + SESSION_SECONDS)).run()
    return key


async def operator_for_session(key: str) -> Operator | None:
    if not key:
        return None
    session = await OperatorSession.objects().where(
        (OperatorSession.key_hash == _key_digest(key)) & (OperatorSession.expires_at > int(time.time()))).first()
    if session is None:
        return None
    return await Operator.objects().where((Operator.id == session.operator) & (Operator.active == True)).first()  # noqa: E712


async def close_session(key: str) -> None:
    if key:
        await OperatorSession.delete().where(OperatorSession.key_hash == _key_digest(key))
