"""Rules of served people's accounts: sign-up by verified email, login links, profile, password,
email change. No Litestar here: the routes translate."""

from __future__ import annotations

from typing import Any

from core import audit, db, notify
from core.accounts import links
from core.accounts.account import Account
from core.accounts.links import Purpose
from core.accounts.tables import AccountProfile
from core.auth import token_cache
from core.auth.passwords import hash_password, verify_password
from core.errors import Conflict, NotAuthenticated, NotFound, ValidationFailed
from core.tenancy.tables import User
from core.tenancy.validation import Checker

SAME_ANSWER = ("Si cette adresse peut recevoir un lien, un e-mail vient de lui être envoyé. "
               "Ouvrez-le pour continuer (pensez à regarder dans les indésirables).")

_ACCOUNT_SQL = """
    SELECT u.id, u.email, u.created_at, p.full_name, p.phone, p.verified_at
    FROM core_user u LEFT JOIN core_account_profile p ON p."user" = u.id
    WHERE u.id = {} AND u.active
"""


async def account(user_id: int) -> Account | None:
    """The active person with that user id (one query: this runs on every « Mon espace » request)."""
    rows = await db.fetch_tuples(_ACCOUNT_SQL, user_id)
    if not rows:
        return None
    uid, email, created_at, full_name, phone, verified_at = rows[0]
    return Account(id=uid, email=email, email_verified=verified_at is not None, full_name=full_name or "",
                   phone=phone or "", created_at=db_datetime(created_at))


def db_datetime(value: Any) -> Any:
    """SQLite raw tuples hold text; PostgreSQL gives datetimes."""
    from datetime import datetime

    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _email(value: str) -> str:
    check = Checker()
    email = check.email("email", value)
    check.done()
    return email


async def request_signup(email: str, ip: str, base_url: str) -> None:
    """Email a sign-up link, or, when an account exists, a login link instead: the caller answers
    SAME_ANSWER either way."""
    email = _email(email)
    async with db.write_transaction():
        if not await links.may_send(email, ip):
            return
        user = await User.objects().where(User.email == email).first()
        if user is not None and user.active:
            token = await links.create(Purpose.login, email, ip, user.id)
            await notify.enqueue_email(email, "Vous avez déjà un compte", template="account_exists",
                                       context={"link": f"{base_url}/mon-espace/connexion/{token}",
                                                "reset": f"{base_url}/password/forgot"})
        elif user is None:
            token = await links.create(Purpose.signup, email, ip)
            await notify.enqueue_email(email, "Confirmez votre adresse pour créer votre espace",
                                       template="account_signup",
                                       context={"link": f"{base_url}/mon-espace/inscription/{token}"})


async def signup_email(token: str) -> str:
    """The address of a usable sign-up link (NotFound / LinkGone otherwise)."""
    return (await links.peek(Purpose.signup, token)).email


async def finish_signup(token: str, values: dict[str, str]) -> int:
    """Create the account of a verified address; returns the user id (the caller logs them in)."""
    check = Checker()
    password = check.password("password", values.get("password"))
    if password != values.get("confirmation"):
        check.add("confirmation", "Les deux mots de passe ne correspondent pas.")
    full_name = (values.get("full_name") or "").strip()[:200]
    phone = (values.get("phone") or "").strip()[:40]
    await links.peek(Purpose.signup, token)  # a dead link says so before any field error
    check.done()
    password_hash = await hash_password(password)
    async with db.write_transaction():
        link = await links.consume(Purpose.signup, token)
        if await User.exists().where(User.email == link.email):
            raise Conflict("Un compte existe déjà pour cette adresse : connectez-vous.")
        user = User(email=link.email, password_hash=password_hash)
        await user.save()
        await AccountProfile.insert(AccountProfile(user=user.id, full_name=full_name, phone=phone,
                                                   verified_at=links.now())).run()
        await audit.record("account.signup", actor_user_id=user.id, target=f"user:{user.id}",
                           summary="Création d'un compte « Mon espace »")
    return int(user.id)


async def request_login_link(email: str, ip: str, base_url: str) -> None:
    """Email a login link to an active account; nothing for an unknown address (same answer)."""
    email = _email(email)
    async with db.write_transaction():
        if not await links.may_send(email, ip):
            return
        user = await User.objects().where((User.email == email) & (User.active == True)).first()  # noqa: E712
        if user is not None:
            token = await links.create(Purpose.login, email, ip, user.id)
            await notify.enqueue_email(email, "Votre lien de connexion", template="account_login",
                                       context={"link": f"{base_url}/mon-espace/connexion/{token}"})


async def check_login_link(token: str) -> None:
    await links.peek(Purpose.login, token)


async def login_by_link(token: str, ip: str) -> int:
    """Use a login link: the address is proven (the profile is marked verified). Returns the user id."""
    async with db.write_transaction():
        link = await links.consume(Purpose.login, token)
        user = await User.objects().where((User.id == link.user) & (User.active == True)).first()  # noqa: E712
        if user is None or user.email != link.email:
            raise NotAuthenticated("Ce compte n'existe plus.")
        await _mark_verified(user.id)
        await audit.record("account.login_link", actor_user_id=user.id, ip=ip, target=f"user:{user.id}",
                           summary="Connexion par lien reçu par e-mail")
    return int(user.id)


async def _mark_verified(user_id: int) -> None:
    updated = await AccountProfile.update({AccountProfile.verified_at: links.now()}).where(
        AccountProfile.user == user_id).returning(AccountProfile.id)
    if not updated:
        await AccountProfile.insert(AccountProfile(user=user_id, verified_at=links.now())).run()


async def update_profile(account: Account, values: dict[str, str]) -> None:
    check = Checker()
    full_name = (values.get("full_name") or "").strip()
    phone = (values.get("phone") or "").strip()
    if len(full_name) > 200:
        check.add("full_name", "Le nom ne doit pas dépasser 200 caractères.")
    if len(phone) > 40:
        check.add("phone", "Le téléphone ne doit pas dépasser 40 caractères.")
    check.done()
    async with db.write_transaction():
        updated = await AccountProfile.update({AccountProfile.full_name: full_name, AccountProfile.phone: phone}
                                              ).where(AccountProfile.user == account.id).returning(AccountProfile.id)
        if not updated:
            await AccountProfile.insert(AccountProfile(user=account.id, full_name=full_name, phone=phone)).run()


async def change_password(account: Account, values: dict[str, str]) -> None:
    """A new password; the current one is asked when there is one (people who only used links have none)."""
    user = await User.objects().get(User.id == account.id)
    check = Checker()
    if user.password_hash and not await verify_password(user.password_hash, values.get("current", "")):
        check.add("current", "Le mot de passe actuel est incorrect.")
    password = check.password("password", values.get("password"))
    if password != values.get("confirmation"):
        check.add("confirmation", "Les deux mots de passe ne correspondent pas.")
    check.done()
    new_hash = await hash_password(password)
    async with db.write_transaction():
        await User.update({User.password_hash: new_hash}).where(User.id == account.id)
        await audit.record("account.password_changed", actor_user_id=account.id, target=f"user:{account.id}",
                           summary="Mot de passe modifié depuis « Mon espace »")


async def request_email_change(account: Account, new_email: str, ip: str, base_url: str) -> None:
    """Email a confirmation link to the new address; the address changes only once it is opened."""
    email = _email(new_email)
    if email == account.email:
        raise ValidationFailed.on("email", "C'est déjà votre adresse.")
    async with db.write_transaction():
        if not await links.may_send(email, ip):
            return
        if await User.exists().where(User.email == email):
            return  # never tell that another account uses it; the link is simply not sent
        token = await links.create(Purpose.email, email, ip, account.id)
        await notify.enqueue_email(email, "Confirmez votre nouvelle adresse", template="account_email",
                                   context={"link": f"{base_url}/mon-espace/compte/adresse/{token}"})


async def confirm_email_change(account: Account, token: str) -> str:
    async with db.write_transaction():
        link = await links.peek(Purpose.email, token)
        if link.user != account.id:
            raise NotFound("Ce lien n'est pas valable.")
        await links.consume(Purpose.email, token)
        if await User.exists().where(User.email == link.email):
            raise Conflict("Cette adresse est déjà utilisée par un autre compte.")
        await User.update({User.email: link.email}).where(User.id == account.id)
        await _mark_verified(account.id)
        await audit.record("account.email_changed", actor_user_id=account.id, target=f"user:{account.id}",
                           summary="Adresse e-mail modifiée depuis « Mon espace »")
    token_cache.forget_all()  # a member's token carries the address
    return link.email


STAFF_PASSWORD_MIN = 6  # seed 002: a password a Le Robert partner chooses for a candidate has 6 characters or more


async def create_for_person(email: str, password: str, *, full_name: str = "", module: str = "",
                            organisation_id: int | None = None) -> int | None:
    """A served person's account with the password an organisation chose (API 1.3, `Platform.create_account`):
    not verified (nobody proved they read that mail), audited. None when the address already has an account:
    an organisation never sets the password of an existing account. Call inside the caller's transaction."""
    check = Checker()
    address = check.email("email", email)
    if not isinstance(password, str) or not STAFF_PASSWORD_MIN <= len(password) <= 200:
        check.add("password", f"Le mot de passe doit contenir au minimum {STAFF_PASSWORD_MIN} caractères.")
    check.done()
    if await User.exists().where(User.email == address):
        return None
    user = User(email=address, password_hash=await hash_password(password))
    await user.save()
    await AccountProfile.insert(AccountProfile(user=user.id, full_name=full_name.strip()[:200])).run()
    await audit.record("account.created_by_organisation", organisation_id=organisation_id, target=f"user:{user.id}",
                       summary=f"Compte « Mon espace » créé par le module {module or '—'}", details={"module": module})
    return int(user.id)


NOT_YOURS = ("Cette personne gère elle-même son compte « Mon espace » : elle seule change son adresse, dans "
             "« Mon compte ».")
TAKEN = "Cette adresse est déjà celle d'un autre compte « Mon espace »."


async def change_email_for_person(user_id: int, email: str, *, module: str = "", organisation_id: int) -> str:
    """(API 1.4, `Platform.change_account_email`) Staff corrected the email of a person whose account their
    organisation created (`create_for_person`): the account follows, so the person signs in with the new address.
    Only while that person has not taken the account over — never verified an address, no membership anywhere —
    and only for the organisation that created it (its audit entry); else ValidationFailed naming `email`
    (NOT_YOURS), as when another account has the new address (TAKEN). Audited; call inside your transaction."""
    from core.auth.tables import AuditEntry
    from core.tenancy.tables import Member

    address = _email(email)
    user = await User.objects().where((User.id == user_id) & (User.active == True)).first()  # noqa: E712
    if user is None:
        raise NotFound("Ce compte n'existe pas.")
    if user.email == address:
        return address
    profile = await AccountProfile.objects().where(AccountProfile.user == user_id).first()
    created_here = await AuditEntry.exists().where(
        (AuditEntry.action == "account.created_by_organisation") & (AuditEntry.target == f"user:{user_id}")
        & (AuditEntry.organisation == organisation_id))
    if (profile is None or profile.verified_at is not None or not created_here
            or await Member.exists().where(Member.user == user_id)):
        raise ValidationFailed.on("email", NOT_YOURS)
    if await User.exists().where(User.email == address):
        raise ValidationFailed.on("email", TAKEN)
    await User.update({User.email: address}).where(User.id == user_id)
    await audit.record("account.email_changed_by_organisation", organisation_id=organisation_id,
                       target=f"user:{user_id}", summary=f"Adresse du compte « Mon espace » corrigée par le module "
                                                         f"{module or '—'}", details={"module": module})
    return address
