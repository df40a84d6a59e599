"""The plugin manager: one per application (built by `create_app`, never at import time).

It loads plugins (see `loader`), calls hooks one implementation at a time (a raising implementation is
logged, remembered on the plugin's record and skipped; coroutines are awaited), restricts office hooks
to the plugins active in that office (`subset_hook_caller`), and delivers domain events.
"""

from __future__ import annotations

import inspect
import logging
import os
from collections.abc import Collection
from typing import Any

from jinja2 import BaseLoader, ChoiceLoader, Environment, FileSystemLoader, PrefixLoader

from core.config import Settings
from core.errors import ValidationFailed
from core.modules import activation
from core.plugin_api.manifest import Permission
from core.plugin_api.platform import Platform
from core.plugin_api.types import CalendarSource, Event, JobSpec
from core.plugins.loader import Loader, new_plugin_manager
from core.plugins.records import PluginError, PluginRecord, PluginStatus, scrub_paths
from core.tenancy.roles import Role

log = logging.getLogger("socle.plugins")
MAX_RUNTIME_ERRORS = 5


class PluginManager:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.pm = new_plugin_manager()
        self._platforms: dict[str, Platform] = {}
        self._loader = Loader(self.pm, self.platform)
        self.env: Environment | None = None
        self._providers: Any = None

    # -- loading ---------------------------------------------------------------------------------

    def load(self, only: Collection[str] | None = None, *, strict: bool | None = None) -> PluginManager:
        """Load the `socle.plugins` entry points (all, or only the ids in `only`). `strict` (default: the
        SOCLE_STRICT_PLUGINS setting) raises PluginError when one fails; diagnostics pass False."""
        self._loader.load_entry_points(only)
        if only is not None:
            for missing in set(only) - set(self._loader.records):
                self._loader.records[missing] = PluginRecord(missing, status=PluginStatus.failed,
                                                             error="aucun point d'entrée socle.plugins à ce nom")
        for record in self.records:
            if not record.healthy:
                log.error("plugin %s: %s (%s)", record.id, record.status.value, record.error)
        if self.settings.strict_plugins if strict is None else strict:
            self.check_pending()
        return self

    def check_pending(self) -> None:
        """Raise PluginError when a plugin failed or a hook implementation has no spec (strict mode)."""
        failed = [r for r in self.records if not r.healthy]
        if failed:
            raise PluginError("; ".join(f"plugin {r.id}: {r.error}" for r in failed))
        self.pm.check_pending()
        from core.plugins import breaker_mail

        breaker_mail.TITLES.update({r.id: r.title for r in self.records})

    @property
    def records(self) -> list[PluginRecord]:
        return list(self._loader.records.values())

    @property
    def permissions(self) -> dict[str, Permission]:
        return self._loader.permissions

    def documents_permission(self, plugin_id: str) -> Permission | None:
        """The permission staff need to download `plugin_id`'s documents (`Manifest.documents_permission`, API
        1.4; else its `<id>.read`); None when it declares neither (any member who sees the office)."""
        record = self.record(plugin_id)
        named = record.manifest.documents_permission if record is not None and record.manifest else None
        if named and named not in self.permissions:  # the module failed and its permissions went: closed
            return Permission(named, named, Role.owner)
        return self.permissions.get(named or f"{plugin_id}.read")

    def record(self, plugin_id: str) -> PluginRecord | None:
        return self._loader.records.get(plugin_id)

    def published_by(self, name: str) -> str | None:
        """The id of the module publishing hook `name` (`MANIFEST.hookspecs`, API 1.3), or None."""
        return self._loader.published.get(name)

    def healthy(self) -> list[PluginRecord]:
        return [r for r in self.records if r.healthy]

    def healthy_ids(self) -> set[str]:
        return {r.id for r in self.records if r.healthy}

    def mounted_ids(self) -> set[str]:
        """Healthy ids plus those waiting for `socle migrate`: their activations still count (shown as active,
        answering 503 until migrated)."""
        return {r.id for r in self.records if r.mounted}

    def is_mounted(self, plugin_id: str) -> bool:
        """`plugin_id in mounted_ids()` without building the set (asked for each module of each listed office)."""
        record = self._loader.records.get(plugin_id)
        return record is not None and record.mounted

    def platform(self, plugin_id: str) -> Platform:
        if plugin_id not in self._platforms:
            self._platforms[plugin_id] = Platform(plugin_id, self)
        return self._platforms[plugin_id]

    def app_modules(self) -> list[str]:
        """Piccolo app modules of the loaded plugins (for binding, migrations and test fixtures)."""
        return [r.manifest.piccolo_app for r in self.records
                if r.manifest and r.manifest.piccolo_app and r.status in (PluginStatus.ok,
                                                                          PluginStatus.needs_migration)]

    def template_loader(self, core_loader: BaseLoader) -> BaseLoader:
        """Core templates first, then each plugin's under its id: `hello_gateway/page.html`."""
        prefixed = {r.id: FileSystemLoader(r.template_dir) for r in self.healthy() if r.template_dir}
        return ChoiceLoader([core_loader, PrefixLoader(prefixed)])

    def render_fragment(self, template: str, context: dict[str, Any]) -> str:
        assert self.env is not None, "templates not configured"
        return self.env.get_template(template).render(context)

    # -- calling hooks -----------------------------------------------------------------------------

    def _impls(self, name: str, plugin_ids: Collection[str] | None) -> list[Any]:
        caller = getattr(self.pm.hook, name)
        if plugin_ids is not None:
            remove = [self.pm.get_plugin(r.id) for r in self.healthy() if r.id not in plugin_ids]
            caller = self.pm.subset_hook_caller(name, remove_plugins=[p for p in remove if p is not None])
        return [impl for impl in caller.get_hookimpls() if self._loader.records[impl.plugin_name].healthy]

    def _remember(self, plugin_id: str, name: str, error: BaseException) -> None:
        log.exception("plugin %s: hook %s raised", plugin_id, name, exc_info=error)
        errors = self._loader.records[plugin_id].runtime_errors
        errors.append(scrub_paths(f"{name} : {type(error).__name__}: {error}"))
        del errors[:-MAX_RUNTIME_ERRORS]

    def _args(self, impl: Any, kwargs: dict[str, Any]) -> list[Any]:
        return [self.platform(impl.plugin_name) if a == "platform" else kwargs[a] for a in impl.argnames]

    async def call(self, name: str, plugin_ids: Collection[str] | None = None, **kwargs: Any) -> list[tuple[str, Any]]:
        """Call hook `name` on each healthy plugin (only those in `plugin_ids` when given); returns
        (plugin id, result) for each implementation that returned something."""
        results = []
        for impl in self._impls(name, plugin_ids):
            try:
                result = impl.function(*self._args(impl, kwargs))
                if inspect.isawaitable(result):
                    result = await result
            except Exception as error:
                self._remember(impl.plugin_name, name, error)
                await self._record_office_problem(impl.plugin_name, name, kwargs, error)
                continue
            if result is not None:
                results.append((impl.plugin_name, result))
        return results

    async def _record_office_problem(self, plugin_id: str, name: str, kwargs: dict[str, Any],
                                     error: BaseException) -> None:
        """A hook that failed for an office is recorded in the database for that office (API 1.1)."""
        where = _office_of(kwargs)
        if where is None:
            return
        from core.plugins import health

        try:
            await health.record_failure(self.settings, where[0], where[1], plugin_id, f"hook:{name}",
                                        f"le point d'extension {name}", f"{type(error).__name__} : {error}",
                                        breaker=False)
        except Exception:
            log.exception("plugin %s: hook %s failure not recorded", plugin_id, name)

    async def call_strict(self, plugin_id: str, name: str, **kwargs: Any) -> Any:
        """Call one plugin's implementation of `name` and let its exception through (for changes that must
        roll back when the plugin fails, such as a purge). None when it does not implement the hook."""
        for impl in self._impls(name, {plugin_id}):
            result = impl.function(*self._args(impl, kwargs))
            return await result if inspect.isawaitable(result) else result
        return None

    def implementations(self, name: str) -> list[tuple[str, Any]]:
        """(plugin id, function) of each healthy plugin implementing `name`."""
        return [(impl.plugin_name, impl.function) for impl in self._impls(name, None)]

    def call_sync(self, name: str, plugin_ids: Collection[str] | None = None, **kwargs: Any) -> list[tuple[str, Any]]:
        """For start-up hooks (routes, jobs, CLI commands): an async implementation is an error."""
        results = []
        for impl in self._impls(name, plugin_ids):
            try:
                result = impl.function(*self._args(impl, kwargs))
                if inspect.isawaitable(result):
                    result.close()  # type: ignore[attr-defined]
                    raise TypeError(f"le hook {name} doit être synchrone")
            except Exception as error:
                self._remember(impl.plugin_name, name, error)
                continue
            if result is not None:
                results.append((impl.plugin_name, result))
        return results

    def calendar_sources(self) -> list[CalendarSource]:
        """Every healthy plugin's calendar kinds (for the calendar capability)."""
        return [source for _, sources in self.call_sync("register_calendar_sources") for source in sources]

    def providers(self) -> Any:
        """The kinds of providers and the providers on offer (`core.providers.registry`), collected once."""
        if self._providers is None:
            from core.providers.registry import build

            self._providers = build(self)
        return self._providers

    def jobs(self) -> list[JobSpec]:
        """Every healthy plugin's background jobs (for the worker), names prefixed by the plugin id."""
        found = []
        for plugin_id, specs in self.call_sync("register_jobs"):
            for spec in specs:
                if isinstance(spec, JobSpec) and spec.name.startswith(plugin_id + "."):
                    found.append(spec)
                else:
                    log.error("plugin %s: job %r ignored (name must start with %s.)", plugin_id, spec, plugin_id)
        return found

    async def active_ids(self, office_id: int) -> set[str]:
        return self.healthy_ids() & await activation.active_in_office(office_id)

    async def call_for_office(self, name: str, office_id: int, **kwargs: Any) -> list[tuple[str, Any]]:
        return await self.call(name, await self.active_ids(office_id), **kwargs)

    async def is_active(self, plugin_id: str, office_id: int) -> bool:
        return plugin_id in self.healthy_ids() and await activation.is_active(office_id, plugin_id)

    async def emit(self, event: Event) -> None:
        if event.office_id is not None:
            ids = await self.active_ids(event.office_id)
        else:
            by_office = await activation.active_by_office(event.organisation_id)
            ids = self.healthy_ids() & {m for modules in by_office.values() for m in modules}
        await self.call("on_event", ids, event=event)

    async def validate(self, proposal: Any) -> None:
        """`validate_booking` (plugins active in the booking's office) or `validate_order` (plugins active in
        the organisation or activated by the order) on a change about to be written: the first
        `ValidationFailed` refuses it (audited once the transaction has rolled back); other errors are
        logged and ignored, like any hook's."""
        from core.plugin_api.types import BookingProposal

        if isinstance(proposal, BookingProposal):
            name, ids = "validate_booking", await self.active_ids(proposal.office_id)
        else:
            name = "validate_order"
            by_office = await activation.active_by_office(proposal.organisation_id)
            ids = self.healthy_ids() & ({m for modules in by_office.values() for m in modules}
                                        | {line.module for line in proposal.lines if line.action == "activate"})
        for impl in self._impls(name, ids):
            try:
                result = impl.function(*self._args(impl, {"booking": proposal, "order": proposal}))
                if inspect.isawaitable(result):
                    await result
            except ValidationFailed as refusal:
                await _audit_refusal(impl.plugin_name, name, proposal, refusal)
                raise
            except Exception as error:
                self._remember(impl.plugin_name, name, error)
                await self._record_office_problem(impl.plugin_name, name, {"booking": proposal}, error)

    async def module_changed(self, plugin_id: str, organisation_id: int, office_id: int, active: bool) -> None:
        """After a checkout: the plugin's own on_module_(de)activated, then the event to everyone."""
        from core.plugin_api.types import ModuleActivated, ModuleDeactivated

        hook = "on_module_activated" if active else "on_module_deactivated"
        await self.call(hook, {plugin_id}, organisation_id=organisation_id, office_id=office_id)
        event_type = ModuleActivated if active else ModuleDeactivated
        await self.emit(event_type(organisation_id=organisation_id, office_id=office_id, module=plugin_id))

    async def check_migrations(self) -> None:
        """Mark plugins whose Piccolo migrations have not all run as `needs_migration` (routes answer 503),
        and back to `ok` once they have. Run at start-up, by `socle plugins list` and `check`, and after
        migrating: the one place a plugin's migration status is decided. A database where no migration
        ever ran (no migration table) leaves every plugin with migrations in `needs_migration`."""
        from piccolo.apps.migrations.tables import Migration

        from core import db

        Migration._meta.db = db.engine()
        ran = await Migration.table_exists()
        for record in self.records:
            pending = await pending_migrations(record, Migration if ran else None)
            self.set_migration_status(record, pending)

    @staticmethod
    def set_migration_status(record: PluginRecord, pending: list[str]) -> None:
        if not record.mounted:
            return
        if pending:
            record.fail(f"{len(pending)} migration(s) à appliquer : lancez « socle migrate »",
                        PluginStatus.needs_migration)
        elif record.status is PluginStatus.needs_migration:
            record.status, record.error = PluginStatus.ok, ""


def _office_of(kwargs: dict[str, Any]) -> tuple[int, int] | None:
    """(organisation id, office id) a hook call concerns, when its arguments say."""
    for value in (kwargs.get("event"), kwargs.get("booking"), kwargs.get("office")):
        organisation = getattr(value, "organisation_id", None) or getattr(value, "organisation", None) \
            or getattr(kwargs.get("actor"), "organisation_id", None)
        office = getattr(value, "office_id", None) or (getattr(value, "id", None) if value is kwargs.get("office")
                                                        else None)
        if isinstance(organisation, int) and isinstance(office, int):
            return organisation, office
    organisation, office = kwargs.get("organisation_id"), kwargs.get("office_id")
    if isinstance(organisation, int) and isinstance(office, int):
        return organisation, office
    return None


def migration_files(record: PluginRecord) -> list[str]:
    """The migration module names the plugin ships (empty without a Piccolo app)."""
    import importlib

    from piccolo.apps.migrations.commands.base import BaseMigrationManager

    if record.manifest is None or not record.manifest.piccolo_app:
        return []
    config = importlib.import_module(record.manifest.piccolo_app).APP_CONFIG
    if not os.path.isdir(config.migrations_folder_path):
        return []
    return sorted(BaseMigrationManager().get_migration_modules(config.migrations_folder_path))


async def pending_migrations(record: PluginRecord, migration_table: Any) -> list[str]:
    """The plugin's migrations not yet run (`migration_table` None: none ever ran on this database)."""
    if not record.mounted:
        return []
    wanted = migration_files(record)
    if migration_table is None or not wanted:
        return wanted
    done = set(await migration_table.get_migrations_which_ran(app_name=record.id))
    return [name for name in wanted if name not in done]


async def _audit_refusal(plugin_id: str, hook: str, proposal: Any, refusal: ValidationFailed) -> None:
    """The refusal goes to the audit log in a transaction of its own, once the refused change has rolled back."""
    from core import audit, db  # core.audit needs the tables bound at start-up

    target = f"booking:{proposal.booking_id}" if getattr(proposal, "booking_id", None) else hook.removeprefix(
        "validate_")
    user_id = getattr(proposal, "user_id", None)

    async def record() -> None:
        async with db.write_transaction():
            await audit.record(f"plugin.{hook}.refused", organisation_id=proposal.organisation_id,
                               actor_user_id=user_id, target=target,
                               summary=f"Refusé par le module {plugin_id} : {refusal.message}",
                               details={"plugin": plugin_id, "errors": [[e.field, e.message] for e in refusal.errors]})

    if db.in_write_transaction():
        db.after_rollback(record)
    else:
        await record()
