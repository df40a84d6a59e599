"""Loading plugins one at a time from the `socle.plugins` entry points, each checked in isolation.

Before any plugin is registered, the hookspecs each module publishes (`MANIFEST.hookspecs`, API 1.3) are added
to pluggy, so any plugin, loaded before or after its publisher, may implement them.

A plugin that fails to import, has no valid MANIFEST, an incompatible `api`, an unknown hook, a hook
with unknown arguments, an id or a permission another plugin already has, or a missing dependency is
recorded as failed with its error; the others load. (pluggy's `load_setuptools_entrypoints` would stop
at the first failure, hence this loop.)
"""

from __future__ import annotations

import difflib
import importlib
import importlib.metadata
import inspect
import traceback
from collections.abc import Callable, Collection
from pathlib import Path
from types import ModuleType

import pluggy
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from core.plugin_api import hookspecs
from core.plugin_api.manifest import PLUGIN_ID_RE, Manifest, Permission
from core.plugin_api.markers import PLUGIN_API_VERSION, PROJECT_NAME
from core.plugin_api.platform import Platform
from core.plugins.records import PluginRecord, PluginStatus, scrub_paths

ENTRY_POINT_GROUP = "socle.plugins"


def entry_points() -> list[importlib.metadata.EntryPoint]:
    importlib.invalidate_caches()
    return sorted(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name)


def new_plugin_manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager(PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    return pm


def _describe(error: BaseException) -> str:
    """`Type: message (file:line)`, the file relative to its sys.path entry (never an absolute path)."""
    frame = traceback.extract_tb(error.__traceback__)[-1:] if error.__traceback__ else []
    where = f" ({frame[0].filename}:{frame[0].lineno})" if frame else ""
    return scrub_paths(f"{type(error).__name__}: {error}{where}")


def _full_traceback(error: BaseException) -> str:
    return scrub_paths("".join(traceback.format_exception(error)))


def hook_names() -> list[str]:
    return sorted(name for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
                  if hasattr(fn, "socle_spec"))


def published_specs(module: ModuleType) -> dict[str, Callable[..., object]]:
    """The `@hookspec` functions of a module's published hookspecs module (API 1.3)."""
    return {name: fn for name, fn in inspect.getmembers(module, inspect.isfunction)
            if hasattr(fn, PROJECT_NAME + "_spec")}


def hook_arguments(name: str) -> list[str]:
    return list(inspect.signature(getattr(hookspecs, name)).parameters)


def unknown_hook_message(name: str) -> str:
    close = difflib.get_close_matches(name, hook_names(), n=1, cutoff=0.8)
    return f"{name} (vouliez-vous dire {close[0]} ?)" if close else name


def bad_arguments(module: ModuleType) -> list[str]:
    """French messages for hook implementations declaring arguments their spec does not have."""
    problems = []
    for name in hook_names():
        function = getattr(module, name, None)
        if not callable(function) or not hasattr(function, PROJECT_NAME + "_impl"):
            continue
        allowed = hook_arguments(name)
        extra = [a for a in inspect.signature(function).parameters if a not in allowed]
        if extra:
            problems.append(f"{name} déclare l'argument « {', '.join(extra)} » que le hook ne fournit pas "
                            f"(arguments possibles : {', '.join(allowed)})")
    return problems


class Loader:
    """Fills `records` and registers healthy plugins in `pm`; `permissions` maps name → Permission."""

    def __init__(self, pm: pluggy.PluginManager, platform_for: Callable[[str], Platform]) -> None:
        self.pm = pm
        self.platform_for = platform_for
        self.records: dict[str, PluginRecord] = {}
        self.permissions: dict[str, Permission] = {}
        self._permission_owner: dict[str, str] = {}
        self.published: dict[str, str] = {}  # hook name → id of the module publishing it (API 1.3)
        self._publish_errors: dict[str, str] = {}

    def load_entry_points(self, only: Collection[str] | None = None) -> None:
        found = entry_points()
        for ep in found:  # published hookspecs first (of every installed module, loaded or not): implementers
            self.publish(ep.name, ep.load)  # may load before their publisher, or without it (`only`)
        for ep in [ep for ep in found if only is None or ep.name in only]:
            dist = ep.dist.name if ep.dist else ""
            version = ep.dist.version if ep.dist else ""
            self.load(ep.name, ep.load, distribution=dist, version=version)
        self.check_dependencies()

    def publish(self, plugin_id: str, importer: Callable[[], object]) -> None:
        """Add the hookspecs module `plugin_id` declares in `MANIFEST.hookspecs` to pluggy. A module that does
        not import or has no valid manifest is skipped here (its `load` records why); a hookspecs module that
        does not import, or a hook name the core or another module already has, is remembered as its error."""
        if plugin_id in self._publish_errors or plugin_id in self.published.values():
            return
        try:
            module = importer()
        except Exception:
            return
        manifest = getattr(module, "MANIFEST", None)
        if not isinstance(manifest, Manifest) or manifest.id != plugin_id or not manifest.hookspecs:
            return
        try:
            specs = published_specs(importlib.import_module(manifest.hookspecs))
        except Exception as error:
            self._publish_errors[plugin_id] = f"hookspecs {manifest.hookspecs} illisibles : {_describe(error)}"
            return
        if not specs:
            self._publish_errors[plugin_id] = f"hookspecs {manifest.hookspecs} : aucune fonction marquée @hookspec"
            return
        core_hooks = set(hook_names())
        for name in specs:
            owner = "la plateforme" if name in core_hooks else self.published.get(name)
            if owner:
                self._publish_errors[plugin_id] = f"le hook publié « {name} » existe déjà ({owner})"
                return
        self.pm.add_hookspecs(type(f"{plugin_id}_hookspecs", (), dict(specs)))
        self.published.update({name: plugin_id for name in specs})

    def load(self, plugin_id: str, importer: Callable[[], object], distribution: str = "",
             version: str = "") -> PluginRecord:
        if plugin_id in self.records:
            other = self.records[plugin_id].distribution or "?"
            record = PluginRecord(plugin_id, distribution, version)
            record.fail(f"identifiant « {plugin_id} » déjà utilisé par la distribution {other}")
            self.records[f"{plugin_id} ({distribution or id(record)})"] = record
            return record
        record = self.records[plugin_id] = PluginRecord(plugin_id, distribution, version)
        if not PLUGIN_ID_RE.match(plugin_id):
            record.fail("identifiant invalide : lettres minuscules, chiffres et _ (commence par une lettre)")
            return record
        try:
            module = importer()
        except Exception as error:  # isolation: whatever the import raises
            record.fail(f"import impossible : {_describe(error)}")
            record.traceback = _full_traceback(error)
            return record
        if not isinstance(module, ModuleType):
            record.fail("l'entrée doit désigner un module (le module des hooks)")
            return record
        record.module = module
        manifest = getattr(module, "MANIFEST", None)
        if not isinstance(manifest, Manifest):
            record.fail("MANIFEST absent ou n'est pas un core.plugin_api.Manifest")
            return record
        record.manifest = manifest
        record.version = manifest.version or version
        for check in (self._check_manifest, self._check_api, self._check_published, self._register,
                      self._collect_permissions):
            error = check(record, manifest)
            if error:
                if record.status is PluginStatus.ok:
                    record.fail(error)
                if self.pm.is_registered(module):
                    self.pm.unregister(module)
                return record
        return record

    def _check_manifest(self, record: PluginRecord, manifest: Manifest) -> str:
        if manifest.id != record.id:
            return f"MANIFEST.id « {manifest.id} » diffère du nom du point d'entrée « {record.id} »"
        if manifest.price_ht < 0:
            return "MANIFEST.price_ht doit être positif"
        if manifest.piccolo_app:
            try:
                app = importlib.import_module(manifest.piccolo_app).APP_CONFIG
            except Exception as error:
                return f"application Piccolo {manifest.piccolo_app} illisible : {_describe(error)}"
            if app.app_name != record.id:
                return f"l'application Piccolo doit s'appeler « {record.id} » (trouvé « {app.app_name} »)"
        record.template_dir = self._template_dir(record, manifest)
        if record.template_dir is not None:
            from core.notify.templates import add_plugin_templates

            add_plugin_templates(record.id, record.template_dir)
        return ""

    def _template_dir(self, record: PluginRecord, manifest: Manifest) -> Path | None:
        assert record.module is not None and record.module.__file__
        base = Path(record.module.__file__).parent
        folder = Path(manifest.templates) if manifest.templates else base / "templates" / record.id
        folder = folder if folder.is_absolute() else base / folder
        return folder if folder.is_dir() else None

    def _check_api(self, record: PluginRecord, manifest: Manifest) -> str:
        try:
            spec = SpecifierSet(manifest.api)
        except InvalidSpecifier:
            return f"MANIFEST.api « {manifest.api} » n'est pas une contrainte de version valide"
        if Version(PLUGIN_API_VERSION) not in spec:
            record.fail(f"demande l'API {manifest.api}, la plateforme fournit {PLUGIN_API_VERSION}",
                        PluginStatus.incompatible)
            return record.error
        return ""

    def _check_published(self, record: PluginRecord, manifest: Manifest) -> str:
        if manifest.hookspecs:
            assert record.module is not None
            module = record.module
            self.publish(record.id, lambda: module)
        return self._publish_errors.get(record.id, "")

    def _register(self, record: PluginRecord, manifest: Manifest) -> str:
        assert record.module is not None
        arguments = bad_arguments(record.module)
        if arguments:
            return "hooks invalides : " + " ; ".join(arguments)
        try:
            self.pm.register(record.module, name=record.id)
        except Exception as error:  # pluggy's validation names the hook and its bad arguments
            return f"hooks invalides : {error}"
        callers = self.pm.get_hookcallers(record.module) or []
        unknown = sorted(c.name for c in callers if not c.has_spec())
        record.hooks = sorted(c.name for c in callers if c.has_spec())
        if unknown:
            return ("hook(s) inconnu(s) : " + ", ".join(unknown_hook_message(n) for n in unknown)
                    + " — voir la liste des hooks dans docs/plugins.md (un hook publié par un module exige que ce"
                    " module soit installé)")
        return ""

    def _collect_permissions(self, record: PluginRecord, manifest: Manifest) -> str:
        declared = list(manifest.permissions)
        for impl in self.pm.hook.register_permissions.get_hookimpls():
            if impl.plugin_name == record.id:
                try:
                    result = impl.function(*[self.platform_for(record.id) for _ in impl.argnames])
                    if inspect.isawaitable(result):
                        result.close()  # type: ignore[attr-defined]
                        return "register_permissions doit être synchrone"
                    declared.extend(result or [])
                except Exception as error:
                    return f"register_permissions a échoué : {_describe(error)}"
        seen: set[str] = set()
        for permission in declared:
            if not isinstance(permission, Permission) or not permission.name.startswith(record.id + "."):
                return f"permission invalide {permission!r} : nom attendu « {record.id}.<action> »"
            owner = self._permission_owner.get(permission.name) or (record.id if permission.name in seen else "")
            if owner:
                return f"permission « {permission.name} » déjà définie par {owner}"
            seen.add(permission.name)
        if manifest.documents_permission is not None and manifest.documents_permission not in seen:
            return (f"MANIFEST.documents_permission « {manifest.documents_permission} » n'est pas une permission "
                    "déclarée par ce module")
        for permission in declared:
            self.permissions[permission.name] = permission
            self._permission_owner[permission.name] = record.id
        return ""

    def check_dependencies(self) -> None:
        """A plugin whose dependency is missing or unhealthy fails too (repeated until stable)."""
        changed = True
        while changed:
            changed = False
            for record in self.records.values():
                if not record.healthy or record.manifest is None:
                    continue
                missing = [d for d in record.manifest.depends
                           if d not in self.records or not self.records[d].healthy]
                if missing:
                    record.fail("dépendance(s) absente(s) ou en échec : " + ", ".join(missing))
                    if record.module is not None and self.pm.is_registered(record.module):
                        self.pm.unregister(record.module)
                    self._drop_permissions(record.id)
                    changed = True

    def _drop_permissions(self, plugin_id: str) -> None:
        for name in [n for n, owner in self._permission_owner.items() if owner == plugin_id]:
            del self._permission_owner[name]
            self.permissions.pop(name, None)
