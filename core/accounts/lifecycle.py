"""What every module holds on a person: the « Mes données » export and the account's erasure.

Both call the modules' hooks strictly (a module that fails stops the operation with its name) and only
on healthy modules: an export missing a module, or an erasure that left a module's data, would be a lie.
"""

from __future__ import annotations

import inspect
import logging
from datetime import UTC, datetime
from typing import Any

import msgspec

from core import audit, db
from core.accounts.account import Account
from core.accounts.tables import AccountLink, AccountProfile
from core.auth import token_cache
from core.auth.tables import ApiToken, LoginAttempt, PasswordResetToken
from core.errors import Conflict, SocleError
from core.plugins.manager import PluginManager
from core.tenancy.tables import Member, User

log = logging.getLogger("socle.accounts")


class ModuleFailed(SocleError):
    status_code = 503


async def call_each(manager: PluginManager, name: str, **kwargs: Any) -> list[tuple[str, Any]]:
    """Call hook `name` on every healthy module, in order; the first one raising stops with ModuleFailed."""
    healthy = manager.healthy_ids()
    results: list[tuple[str, Any]] = []
    for impl in getattr(manager.pm.hook, name).get_hookimpls():
        if impl.plugin_name not in healthy:
            continue
        args = [manager.platform(impl.plugin_name) if a == "platform" else kwargs[a] for a in impl.argnames]
        try:
            result = impl.function(*args)
            if inspect.isawaitable(result):
                result = await result
        except SocleError:
            raise
        except Exception as error:
            log.exception("module %s: %s raised", impl.plugin_name, name)
            raise ModuleFailed(f"Le module « {impl.plugin_name} » n'a pas pu traiter la demande. Rien n'a été "
                               "supprimé de votre compte : réessayez plus tard.") from error
        results.append((impl.plugin_name, result))
    return results


async def export(manager: PluginManager, account: Account) -> dict[str, Any]:
    """Everything the core and each module hold on the person, JSON-able."""
    from core.documents import services as documents

    modules = {}
    for plugin_id, section in await call_each(manager, "export_account_data", account=account):
        modules[plugin_id] = msgspec.to_builtins(section) if section is not None else {}
    return {
        "exported_at": datetime.now(UTC).isoformat(),
        "account": {"email": account.email, "email_verified": account.email_verified,
                    "full_name": account.full_name, "phone": account.phone,
                    "created_at": account.created_at.isoformat() if account.created_at else None},
        "documents": [msgspec.to_builtins(d) for d in await documents.list_for_account(account.id)],
        "modules": modules,
    }


async def erase(manager: PluginManager, account: Account, ip: str = "") -> None:
    """Delete the account: each module erases or anonymises its records, documents under retention are
    detached, then the user row is emptied and disabled (its sessions stop working at once). A member of
    an organisation must first be removed by it (their staff work is not theirs alone to delete)."""
    from core.documents import services as documents

    if await Member.exists().where(Member.user == account.id):
        raise Conflict("Votre compte sert aussi à travailler dans une organisation : demandez à son gérant de "
                       "vous retirer des membres avant de le supprimer.")
    await call_each(manager, "erase_account", account=account)
    async with db.write_transaction():
        detached = await documents.detach_account(account.id)
        await AccountProfile.delete().where(AccountProfile.user == account.id)
        await AccountLink.delete().where((AccountLink.user == account.id) | (AccountLink.email == account.email))
        await PasswordResetToken.delete().where(PasswordResetToken.user == account.id)
        await ApiToken.delete().where(ApiToken.user == account.id)
        await LoginAttempt.delete().where(LoginAttempt.email == account.email)
        await User.update({User.email: f"compte-supprime-{account.id}@invalid", User.password_hash: "",
                           User.active: False}).where(User.id == account.id)
        await audit.record("account.erased", actor_user_id=account.id, ip=ip, target=f"user:{account.id}",
                           summary="Compte « Mon espace » supprimé par son titulaire",
                           details={"documents_detached": detached})
    token_cache.forget_all()
