"""Which provider an office uses for each kind, and that provider's settings (no Litestar here).

Stored with the plugin settings (`core.plugin_settings`), not in a store of its own: the office's choices are one
row under the name `CHOICES` ({"sms": "<provider key>"}); a provider's settings are rows under its key
(`<plugin id>.<name>`), read and saved by `core.plugin_settings.services` (secrets sealed, audited by name).
A choice whose provider is no longer available (its module deactivated or broken) falls back to the kind's
default provider, or to none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import msgspec

from core import audit, db
from core.errors import NotFound, ValidationFailed
from core.plugin_api.types import Provider
from core.plugin_settings import services as plugin_settings
from core.plugin_settings.tables import PluginSetting
from core.providers.registry import PLATFORM, Kind, ProviderRegistry
from core.tenancy.actor import Actor
from core.tenancy.roles import Role
from core.tenancy.scope import Scope
from core.tenancy.tables import Office

CHOICES = ":providers"  # never a plugin id (no colon allowed there)


@dataclass(frozen=True, slots=True)
class Resolved:
    provider: Provider
    settings: Any  # the provider's settings for the office (secrets in clear), or None
    plugin_id: str | None  # None for the core's default provider


async def choices(organisation_id: int, office_id: int) -> dict[str, str]:
    row = await Scope(organisation_id).select(PluginSetting, PluginSetting.data).where(
        (PluginSetting.office == office_id) & (PluginSetting.plugin == CHOICES)).first()
    try:
        data = msgspec.json.decode(row["data"]) if row else {}
    except msgspec.DecodeError:
        data = {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)} if isinstance(data, dict) \
        else {}


def kinds_for(registry: ProviderRegistry, active: set[str]) -> list[Kind]:
    """The kinds an office may choose for: the core's, and those of modules active there."""
    return [kind for kind in registry.kinds.values() if kind.owner is None or kind.owner in active]


def available(kind: Kind, active: set[str]) -> list[Provider]:
    """The kind's default provider (if any), then those of modules active in the office."""
    found = [kind.default] if kind.default else []
    return found + [p for key, p in sorted(kind.providers.items()) if kind.plugin_of(key) in active]


def current(kind: Kind, active: set[str], chosen: dict[str, str]) -> Provider | None:
    """The provider in force: the chosen one while available, else the default."""
    offered = {p.key: p for p in available(kind, active)}
    return offered.get(chosen.get(kind.spec.key, ""), kind.default)


async def provider_settings(provider: Provider, organisation_id: int, office_id: int, *, key: str) -> Any:
    struct = plugin_settings.settings_type(provider.settings)
    if struct is None:
        return None
    return await plugin_settings.read(struct, provider.key, organisation_id, office_id, key=key)


async def resolve(registry: ProviderRegistry, manager: Any, kind_key: str, organisation_id: int, office_id: int,
                  *, key: str) -> Resolved | None:
    """The office's provider for a kind with its settings (None: no provider, e.g. a module kind with none)."""
    kind = registry.kind(kind_key)
    if kind is None:
        return None
    active = await manager.active_ids(office_id)
    if kind.owner is not None and kind.owner not in active:
        return None
    provider = current(kind, active, await choices(organisation_id, office_id))
    if provider is None:
        return None
    return Resolved(provider, await provider_settings(provider, organisation_id, office_id, key=key),
                    kind.plugin_of(provider.key))


async def office_kind(registry: ProviderRegistry, manager: Any, actor: Actor, office_id: int,
                      kind_key: str) -> tuple[Office, Kind, set[str]]:
    """The office (of the actor's organisation) and the kind offered there; NotFound otherwise."""
    office = await actor.scope.get(Office, office_id)
    active = await manager.active_ids(office.id)
    kind = registry.kind(kind_key)
    if kind is None or kind not in kinds_for(registry, active):
        raise NotFound("Ce type de fournisseur n'existe pas pour ce bureau.")
    return office, kind, active


async def choose(registry: ProviderRegistry, manager: Any, actor: Actor, office_id: int, kind_key: str,
                 provider_key: str | None, values: Any = None, *, key: str, from_form: bool = False) -> Provider:
    """Choose the office's provider for a kind (admins) and save its settings when `values` are given (validated
    and stored by the plugin settings service). Returns the provider now in force."""
    actor.require(Role.admin)
    office, kind, active = await office_kind(registry, manager, actor, office_id, kind_key)
    offered = {p.key: p for p in available(kind, active)}
    chosen = await choices(actor.organisation_id, office.id)
    provider_key = provider_key or chosen.get(kind_key) or (kind.default.key if kind.default else "")
    provider = offered.get(provider_key)
    if provider is None:
        names = ", ".join(offered) or "aucun dans ce bureau"
        raise ValidationFailed.on("provider", f"Choisissez un des fournisseurs proposés : {names}.")
    struct = plugin_settings.settings_type(provider.settings)
    if values and struct is None:
        raise ValidationFailed.on("settings", "Ce fournisseur n'a pas de réglages.")
    async with db.write_transaction():
        if values:
            await plugin_settings.save(actor, struct, provider.key, office.id, values, key=key,  # type: ignore[arg-type]
                                       from_form=from_form)
        if chosen.get(kind_key) != provider.key:
            await _store_choice(actor, office, {**chosen, kind_key: provider.key})
            await audit.record("provider.chosen", organisation_id=actor.organisation_id, actor_user_id=actor.user_id,
                               target=f"{kind_key}@{office.id}",
                               summary=f"Fournisseur « {kind.spec.label} » du bureau « {office.name} » : "
                                       f"{provider.label} ({provider.key})")
    return provider


async def _store_choice(actor: Actor, office: Office, data: dict[str, str]) -> None:
    if db.is_postgres():
        await db.engine().run_ddl(f"SELECT pg_advisory_xact_lock({int(office.id)}, hashtext('{CHOICES}'))")
    encoded = msgspec.json.encode(data).decode()
    existing = await actor.scope.objects(PluginSetting).where(
        (PluginSetting.office == office.id) & (PluginSetting.plugin == CHOICES)).first()
    if existing is None:
        await PluginSetting(organisation=actor.organisation_id, office=office.id, plugin=CHOICES, data=encoded,
                            updated_by=actor.user_id).save()
    else:
        await PluginSetting.update({PluginSetting.data: encoded, PluginSetting.updated_by: actor.user_id,
                                    PluginSetting.updated_at: datetime.now(UTC)}).where(
            PluginSetting.id == existing.id)


def describe(kind: Kind, provider: Provider | None, offered: list[Provider], settings: Any) -> dict[str, Any]:
    """A kind as the API shows it: secrets of the provider's settings masked."""
    struct = plugin_settings.settings_type(provider.settings) if provider else None
    return {"kind": kind.spec.key, "label": kind.spec.label, "description": kind.spec.description,
            "provider": provider.key if provider else None,
            "settings": plugin_settings.shown(struct, settings) if struct and settings is not None else None,
            "providers": [{"key": p.key, "label": p.label, "summary": p.summary,
                           "has_settings": plugin_settings.settings_type(p.settings) is not None} for p in offered]}


__all__ = ["CHOICES", "PLATFORM", "Resolved", "available", "choices", "choose", "current", "describe",
           "kinds_for", "office_kind", "provider_settings", "resolve"]
