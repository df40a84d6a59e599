"""Read and save a plugin's settings for one office, and the organisation-wide values offices inherit
(no Litestar here).

A value in force for an office is the office's own, else (for fields marked PER_ORGANISATION) the
organisation's, else the field's default. Secrets (fields marked SECRET) are stored sealed with the
platform's secret key (`key`), given in clear to the plugin only, masked in anything shown.
Reading never fails on stored data: unknown or removed fields are ignored, and a stored value that no
longer validates against the Struct falls back to the field's default (logged). Saving validates every
given field with msgspec and raises ValidationFailed naming each refused field in French.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

import msgspec

from core import audit, db
from core.errors import FieldError, NotFound, ValidationFailed
from core.plugin_settings import secrets
from core.plugin_settings.fields import FieldSpec, field_specs, french_error, missing_defaults
from core.plugin_settings.tables import PluginOrganisationSetting, PluginSetting
from core.tenancy.actor import Actor
from core.tenancy.roles import Role
from core.tenancy.scope import Scope
from core.tenancy.tables import Office

log = logging.getLogger("socle.plugin_settings")
S = TypeVar("S", bound=msgspec.Struct)
INHERIT = "$inherit"  # in a saved body: the PER_ORGANISATION fields that go back to the organisation's value
INHERIT_FIELD = "inherit-"  # form checkbox prefix for the same


def settings_type(manifest_settings: Any) -> type[msgspec.Struct] | None:
    """The manifest's settings Struct when it is a usable one (a Struct class whose fields all have defaults)."""
    if isinstance(manifest_settings, type) and issubclass(manifest_settings, msgspec.Struct) \
            and not missing_defaults(manifest_settings):
        return manifest_settings
    return None


def defaults(struct: type[S]) -> S:
    return struct()


def _decode_row(row: dict[str, Any] | None, plugin_id: str, where: str) -> dict[str, Any]:
    if row is None:
        return {}
    try:
        data = msgspec.json.decode(row["data"])
    except msgspec.DecodeError:
        log.warning("plugin %s, %s : réglages illisibles, valeurs par défaut", plugin_id, where)
        return {}
    return data if isinstance(data, dict) else {}


async def _stored(organisation_id: int, office_id: int, plugin_id: str) -> dict[str, Any]:
    row = await Scope(organisation_id).select(PluginSetting, PluginSetting.data).where(
        (PluginSetting.office == office_id) & (PluginSetting.plugin == plugin_id)).first()
    return _decode_row(row, plugin_id, f"bureau {office_id}")


async def _stored_organisation(organisation_id: int, plugin_id: str) -> dict[str, Any]:
    row = await Scope(organisation_id).select(PluginOrganisationSetting, PluginOrganisationSetting.data).where(
        PluginOrganisationSetting.plugin == plugin_id).first()
    return _decode_row(row, plugin_id, f"organisation {organisation_id}")


def _layered(struct: type[msgspec.Struct], office: Mapping[str, Any], organisation: Mapping[str, Any],
             ) -> tuple[dict[str, Any], dict[str, str]]:
    """Stored values in force for an office, and where each comes from: "office", "organisation", "default"."""
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for spec in field_specs(struct):
        if spec.name in office:
            values[spec.name], sources[spec.name] = office[spec.name], "office"
        elif spec.organisation and spec.name in organisation:
            values[spec.name], sources[spec.name] = organisation[spec.name], "organisation"
        else:
            sources[spec.name] = "default"
    return values, sources


def _unsealed(struct: type[msgspec.Struct], stored: Mapping[str, Any], key: str) -> dict[str, Any]:
    """Stored values with each secret in clear (one that cannot be unsealed is dropped: its default applies)."""
    clear = dict(stored)
    for spec in field_specs(struct):
        if spec.secret and secrets.is_sealed(clear.get(spec.name)):
            value = secrets.unseal(key, clear[spec.name])
            if value is None:
                log.warning("réglage secret %s illisible (clé secrète changée ?) : valeur par défaut", spec.name)
                del clear[spec.name]
            else:
                clear[spec.name] = value
    return clear


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


async def read(struct: type[S], plugin_id: str, organisation_id: int, office_id: int, *, key: str) -> S:
    """The settings in force for an office (office value, else the organisation's for PER_ORGANISATION
    fields, else the default), secrets in clear: for the plugin, never for a response."""
    stored, _ = await _sources(struct, plugin_id, organisation_id, office_id)
    return decode(struct, _unsealed(struct, stored, key), plugin_id, office_id)


async def _sources(struct: type[msgspec.Struct], plugin_id: str, organisation_id: int,
                   office_id: int) -> tuple[dict[str, Any], dict[str, str]]:
    organisation = await _stored_organisation(organisation_id, plugin_id) if any(
        spec.organisation for spec in field_specs(struct)) else {}
    return _layered(struct, await _stored(organisation_id, office_id, plugin_id), organisation)


async def sources(struct: type[msgspec.Struct], plugin_id: str, organisation_id: int, office_id: int,
                  ) -> dict[str, str]:
    """Where each value in force comes from: "office", "organisation" or "default"."""
    return (await _sources(struct, plugin_id, organisation_id, office_id))[1]


async def read_organisation(struct: type[S], plugin_id: str, organisation_id: int, *, key: str) -> S:
    """The organisation-wide values (the defaults for fields not set there)."""
    stored = await _stored_organisation(organisation_id, plugin_id)
    return decode(struct, _unsealed(struct, stored, key), plugin_id)


def shown(struct: type[msgspec.Struct], values: msgspec.Struct) -> dict[str, Any]:
    """`values` as a response may carry them: every secret masked (« •••• 1234 »)."""
    data = _builtins(values)
    for spec in field_specs(struct):
        if spec.secret:
            data[spec.name] = secrets.masked(data.get(spec.name))
    return data


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
    """The shown fields of a submitted form (an unticked checkbox is absent from the form: False). A secret
    left empty keeps its value; a ticked « valeur de l'organisation » box gives `INHERIT`."""
    values: dict[str, Any] = {}
    inherit = []
    for spec in field_specs(struct):
        if spec.kind == "other":
            continue
        if spec.organisation and form.get(f"{INHERIT_FIELD}{spec.name}"):
            inherit.append(spec.name)
        elif not (spec.secret and not form.get(spec.name)):
            values[spec.name] = form.get(spec.name, "")
    if inherit:
        values[INHERIT] = inherit
    return values


def _inherited(struct: type[msgspec.Struct], names: Any) -> list[str]:
    allowed = {spec.name for spec in field_specs(struct) if spec.organisation}
    if not isinstance(names, list) or any(not isinstance(n, str) or n not in allowed for n in names):
        raise ValidationFailed.on(INHERIT, "Seuls les réglages communs à l'organisation peuvent en reprendre la "
                                           "valeur : " + (", ".join(sorted(allowed)) or "aucun pour ce module") + ".")
    return names


def _to_store(struct: type[msgspec.Struct], raw: Mapping[str, Any], updated: msgspec.Struct,
              given: Mapping[str, Any], key: str, inherit: Sequence[str] = (), *, organisation: bool = False) -> str:
    """The row's JSON: every field in force at this level (an office row leaves out the PER_ORGANISATION fields
    it inherits; an organisation row holds only those), secrets sealed, a secret never set left out."""
    data = _builtins(updated)
    stored: dict[str, Any] = {}
    for spec in field_specs(struct):
        name = spec.name
        if name in inherit or (organisation and not spec.organisation):
            continue
        if spec.organisation and not organisation and name not in given and name not in raw:
            continue  # still inherited
        if spec.secret:
            if name in given:
                stored[name] = secrets.seal(key, data[name]) if data[name] else ""
            elif name in raw:
                stored[name] = raw[name]
            continue
        stored[name] = data[name]
    return msgspec.json.encode(stored).decode()


async def save(actor: Actor, struct: type[S], plugin_id: str, office_id: int, values: Mapping[str, Any], *,
               key: str, from_form: bool = False) -> S:
    """Validate and store the office's settings (admins only); fields left out keep their value, fields named
    in `values["$inherit"]` go back to the organisation's value. Returns the settings in force."""
    actor.require(Role.admin)
    office = await actor.scope.get(Office, office_id)
    if not isinstance(values, Mapping):
        raise ValidationFailed.on("body", "Un objet JSON de réglages est attendu.")
    given = dict(values)
    inherit = _inherited(struct, given.pop(INHERIT, []))
    async with db.write_transaction():
        if db.is_postgres():  # serialise the first insert of the same (office, plugin)
            await db.engine().run_ddl(f"SELECT pg_advisory_xact_lock({int(office.id)}, hashtext('{plugin_id}'))")
        current = await read(struct, plugin_id, actor.organisation_id, office.id, key=key)
        updated = validate(struct, current, given, from_form=from_form)
        encoded = _to_store(struct, await _stored(actor.organisation_id, office.id, plugin_id), updated, given,
                            key, inherit)
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
                           summary=f"Réglages du module {plugin_id} enregistrés pour le bureau « {office.name} »"
                                   + _changed(given, inherit))
        return await read(struct, plugin_id, actor.organisation_id, office.id, key=key)


async def save_organisation(actor: Actor, struct: type[S], plugin_id: str, values: Mapping[str, Any], *,
                            key: str, from_form: bool = False) -> S:
    """Validate and store the organisation-wide values (admins only): only PER_ORGANISATION fields."""
    actor.require(Role.admin)
    if not isinstance(values, Mapping):
        raise ValidationFailed.on("body", "Un objet JSON de réglages est attendu.")
    shared = {spec.name for spec in field_specs(struct) if spec.organisation}
    refused = [FieldError(n, "Ce réglage se règle bureau par bureau.") for n in values if n not in shared]
    if refused:
        raise ValidationFailed("Certains réglages sont invalides.", refused)
    async with db.write_transaction():
        if db.is_postgres():
            await db.engine().run_ddl(
                f"SELECT pg_advisory_xact_lock({int(actor.organisation_id)}, hashtext('org:{plugin_id}'))")
        raw = await _stored_organisation(actor.organisation_id, plugin_id)
        current = decode(struct, _unsealed(struct, raw, key), plugin_id)
        updated = validate(struct, current, values, from_form=from_form)
        encoded = _to_store(struct, raw, updated, values, key, organisation=True)
        existing = await actor.scope.objects(PluginOrganisationSetting).where(
            PluginOrganisationSetting.plugin == plugin_id).first()
        if existing is None:
            await PluginOrganisationSetting(organisation=actor.organisation_id, plugin=plugin_id, data=encoded,
                                            updated_by=actor.user_id).save()
        else:
            await PluginOrganisationSetting.update({
                PluginOrganisationSetting.data: encoded, PluginOrganisationSetting.updated_by: actor.user_id,
                PluginOrganisationSetting.updated_at: datetime.now(UTC)}).where(
                PluginOrganisationSetting.id == existing.id)
        await audit.record("plugin_settings.saved", organisation_id=actor.organisation_id,
                           actor_user_id=actor.user_id, target=plugin_id,
                           summary=f"Réglages communs du module {plugin_id} enregistrés pour l'organisation"
                                   + _changed(values, ()))
    return updated


def _changed(given: Mapping[str, Any], inherit: Sequence[str]) -> str:
    """The names of what changed, never the values (a secret must not reach the audit log)."""
    parts = []
    if given:
        parts.append("modifiés : " + ", ".join(sorted(given)))
    if inherit:
        parts.append("repris de l'organisation : " + ", ".join(sorted(inherit)))
    return f" ({' ; '.join(parts)})" if parts else ""


def require_struct(manifest_settings: Any) -> type[msgspec.Struct]:
    struct = settings_type(manifest_settings)
    if struct is None:
        raise NotFound("Ce module n'a pas de réglages.")
    return struct
