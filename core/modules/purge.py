"""« Supprimer les données du module » for one office where the module is no longer active (no Litestar here).

The owner confirms by typing the office's name. In one transaction: the module's `on_module_purge` deletes
its rows for that office, the core drops the module's settings there (its providers' too) and its recorded
problems, and an audit entry records it. A
module whose purge raises leaves everything in place (the transaction rolls back) and the owner is told.
"""

from __future__ import annotations

from core import audit, db
from core.errors import Conflict, NotFound, ValidationFailed
from core.modules import activation
from core.plugin_settings.tables import PluginProblem, PluginSetting
from core.plugins.manager import PluginManager
from core.tenancy.actor import Actor
from core.tenancy.roles import Role
from core.tenancy.tables import Office


def purgeable(manager: PluginManager) -> dict[str, str]:
    """Healthy modules that can delete their data: id → title."""
    ids = {plugin_id for plugin_id, _ in manager.implementations("on_module_purge")}
    return {r.id: r.title for r in manager.healthy() if r.id in ids}


async def purge(actor: Actor, manager: PluginManager, office_id: int, module: str, confirmation: str) -> Office:
    actor.require(Role.owner)
    office = await actor.scope.get(Office, office_id)
    title = purgeable(manager).get(module)
    if title is None:
        raise NotFound("Ce module n'existe pas ou ne sait pas supprimer ses données.")
    still_active = Conflict(f"Le module « {title} » est encore actif dans le bureau « {office.name} » : "
                            "désactivez-le par une commande avant d'en supprimer les données.")
    if await activation.is_active(office.id, module):
        raise still_active
    if (confirmation or "").strip() != office.name:
        raise ValidationFailed.on("confirmation", f"Tapez exactement le nom du bureau, « {office.name} », "
                                                  "pour confirmer la suppression.")
    async with db.write_transaction():
        await db.lock_row(Office, office.id)
        if await activation.is_active(office.id, module):  # activated meanwhile
            raise still_active
        try:
            await manager.call_strict(module, "on_module_purge", organisation_id=actor.organisation_id,
                                      office_id=office.id)
        except Exception as error:
            raise Conflict(f"Le module « {title} » n'a pas pu supprimer ses données ({type(error).__name__}) : "
                           "rien n'a été supprimé.") from error
        rows = await PluginSetting.select(PluginSetting.id, PluginSetting.plugin).where(
            (PluginSetting.organisation == actor.organisation_id) & (PluginSetting.office == office.id))
        ids = [r["id"] for r in rows if r["plugin"] == module or r["plugin"].startswith(f"{module}.")]  # providers'
        if ids:
            await PluginSetting.delete().where(PluginSetting.id.is_in(ids))
        await PluginProblem.delete().where((PluginProblem.office == office.id) & (PluginProblem.plugin == module))
        await audit.record("module.purged", organisation_id=actor.organisation_id, actor_user_id=actor.user_id,
                           target=f"{module}@{office.id}",
                           summary=f"Données du module « {title} » supprimées pour le bureau « {office.name} »")
    return office
