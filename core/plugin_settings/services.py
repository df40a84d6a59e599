"""Read and save a plugin's settings for one office (no Litestar here).

Reading never fails on stored data: unknown or removed fields are ignored, and a stored value that no
longer validates against the Struct falls back to the field's default (logged). Saving validates every
given field with msgspec and raises ValidationFailed naming each refused field in French.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar

import msgspec

from core import audit, db
from core.errors import FieldError, NotFound, ValidationFailed
from core.plugin_settings.fields import FieldSpec, field_specs, french_error, missing_defaults
from core.plugin_settings.tables import PluginSetting
from core.tenancy.actor import Actor
from core.tenancy.roles import Role
from core.tenancy.scope import Scope
from core.tenancy.tables import Office

log = logging.getLogger("socle.plugin_settings")
S = TypeVar("S", bound=msgspec.Struct)


def settings_type(manifest_settings: Any) -> type[msgspec.Struct] | None:
    """The manifest's settings Struct when it is a usable one (a Struct class whose fields all have defaults)."""
    if isinstance(manifest_settings, type) and issubclass(manifest_settings, msgspec.Struct) \
            and not missing_defaults(manifest_settings):
        return manifest_settings
    return None


def defaults(struct: type[S]) -> S:
    return struct()


async def _stored(organisation_id: int, office_id: int, plugin_id: str) -> dict[str, Any]:
    row = await Scope(organisation_id).select(PluginSetting, PluginSetting.data).where(
        (PluginSetting.office == office_id) & (PluginSetting.plugin == plugin_id)).first()
    if row is None:
        return {}
    try:
        data = msgspec.json.decode(row["data"])
    except msgspec.DecodeError:
        log.warning("plugin %s, bureau %s : réglages illisibles, valeurs par défaut", plugin_id, office_id)
        return {}
    return data if isinstance(data, dict) else {}


def _builtins(instance: msgspec.Struct) -> dict[str, Any]:
    return msgspec.to_builtins(instance)  # type: ignore[no-any-return]


def decode(struct: type[S], stored: Mapping[str, Any], plugin_id: str = "", office_id: int | None = None) -> S:
    """The Struct from stored JSON: unknown fields dropped, each invalid field back to its default."""
    good = _builtins(defaults(struct))
    for spec in field_specs(struct):
        if spec.name not in stored:
            continue
        try:
            msgspec.convert({**good, spec.name: stored[spec.name]}, struct)
        except msgspec.ValidationError as error:
            log.warning("plugin %s, bureau %s : réglage %s invalide (%s), valeur par défaut utilisée",
                        plugin_id, office_id, spec.name, error)
            continue
        good[spec.name] = stored[spec.name]
    return msgspec.convert(good, struct)


async def read(struct: type[S], plugin_id: str, organisation_id: int, office_id: int) -> S:
    return decode(struct, await _stored(organisation_id, office_id, plugin_id), plugin_id, office_id)


def validate(struct: type[S], current: S, values: Mapping[str, Any], *, from_form: bool = False) -> S:
    """`current` with `values` applied; every refused or unknown field is named in the error."""
    specs = {spec.name: spec for spec in field_specs(struct)}
    merged = _builtins(current)
    errors = [FieldError(name, "Ce réglage n'existe pas.") for name in values if name not in specs]
    for name, value in values.items():
        spec = specs.get(name)
        if spec is None:
            continue
        if from_form:
            value = _from_form(spec, value)
        try:
            msgspec.convert({**merged, name: value}, struct, strict=not from_form)
        except msgspec.ValidationError as error:
            errors.append(FieldError(name, french_error(spec, value, str(error))))
            continue
        merged[name] = value
    if errors:
        raise ValidationFailed("Certains réglages sont invalides.", errors)
    return msgspec.convert(merged, struct, strict=not from_form)


def _from_form(spec: FieldSpec, value: Any) -> Any:
    if spec.kind == "checkbox":
        return value not in (None, "", "0", "false", "off")
    if isinstance(value, list):
        value = value[-1] if value else ""
    if value == "" and spec.optional:
        return None
    if spec.kind in ("number", "decimal") and isinstance(value, str):
        return value.strip().replace(",", ".") if spec.kind == "decimal" else value.strip()
    return value


def form_values(struct: type[msgspec.Struct], form: Mapping[str, Any]) -> dict[str, Any]:
    """The shown fields of a submitted form (an unticked checkbox is absent from the form: False)."""
    return {spec.name: form.get(spec.name, "") for spec in field_specs(struct) if spec.kind != "other"}


async def save(actor: Actor, struct: type[S], plugin_id: str, office_id: int, values: Mapping[str, Any], *,
               from_form: bool = False) -> S:
    """Validate and store the office's settings (admins only); fields left out keep their current value."""
    actor.require(Role.admin)
    office = await actor.scope.get(Office, office_id)
    if not isinstance(values, Mapping):
        raise ValidationFailed.on("body", "Un objet JSON de réglages est attendu.")
    async with db.write_transaction():
        if db.is_postgres():  # serialise the first insert of the same (office, plugin)
            await db.engine().run_ddl(f"SELECT pg_advisory_xact_lock({int(office.id)}, hashtext('{plugin_id}'))")
        current = await read(struct, plugin_id, actor.organisation_id, office.id)
        updated = validate(struct, current, values, from_form=from_form)
        encoded = msgspec.json.encode(updated).decode()
        existing = await actor.scope.objects(PluginSetting).where(
            (PluginSetting.office == office.id) & (PluginSetting.plugin == plugin_id)).first()
        if existing is None:
            await PluginSetting(organisation=actor.organisation_id, office=office.id, plugin=plugin_id,
                                data=encoded, updated_by=actor.user_id).save()
        else:
            await PluginSetting.update({PluginSetting.data: encoded, PluginSetting.updated_by: actor.user_id,
                                        PluginSetting.updated_at: datetime.now(UTC)}).where(
                PluginSetting.id == existing.id)
        await audit.record("plugin_settings.saved", organisation_id=actor.organisation_id,
                           actor_user_id=actor.user_id, target=f"{plugin_id}@{office.id}",
                           summary=f"Réglages du module {plugin_id} enregistrés pour le bureau « {office.name} »")
    return updated


def require_struct(manifest_settings: Any) -> type[msgspec.Struct]:
    struct = settings_type(manifest_settings)
    if struct is None:
        raise NotFound("Ce module n'a pas de réglages.")
    return struct
