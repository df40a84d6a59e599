"""`socle plugins check <id>`: what an author must fix before publishing, each finding in French with
the way to fix it. Checks the entry point and the manifest, the `api` range, hook names and arguments,
migrations (applied, and tables changed without a migration), templates (found, parse, `extends` target
exists, every `"<id>/….html"` named in the code exists) and the permissions named by routes."""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, TemplateError, meta

from core.plugin_api.markers import PLUGIN_API_VERSION
from core.plugins.loader import entry_points
from core.plugins.manager import PluginManager, migration_files
from core.plugins.records import PluginRecord, PluginStatus, scrub_paths

CORE_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    errors: int = 0

    def ok(self, text: str) -> None:
        self.lines.append(f"OK      {text}")

    def error(self, text: str, fix: str) -> None:
        self.errors += 1
        self.lines.append(f"ERREUR  {text}\n        → {fix}")

    def warn(self, text: str, fix: str) -> None:
        self.lines.append(f"ATTENTION {text}\n        → {fix}")


def _entry_point(report: Report, plugin_id: str) -> bool:
    found = [ep for ep in entry_points() if ep.name == plugin_id]
    if not found:
        report.error(f"aucun point d'entrée socle.plugins nommé « {plugin_id} »",
                     f'déclarez [project.entry-points."socle.plugins"] {plugin_id} = "<paquet>.hooks" dans '
                     "pyproject.toml, puis réinstallez le paquet (pip install -e .)")
        return False
    report.ok(f"point d'entrée {plugin_id} = {found[0].value}")
    return True


def _load(report: Report, record: PluginRecord) -> None:
    if record.status is PluginStatus.incompatible:
        report.error(f"API : {record.error}", f'déclarez api=">={PLUGIN_API_VERSION},<2" dans le MANIFEST')
    elif record.status is PluginStatus.failed:
        if "hook" in record.error:
            fix = "corrigez le nom ou les arguments du hook (docs/plugins.md, section « Hooks »)"
        elif record.traceback:
            fix = "corrigez l'erreur ci-dessus ; détail :\n" + _indent(record.traceback)
        else:
            fix = "corrigez le MANIFEST ou le module des hooks"
        report.error(f"chargement : {record.error}", fix)
    if record.manifest is not None and record.status is not PluginStatus.incompatible:
        report.ok(f"MANIFEST : « {record.manifest.title} », version {record.version or '?'}, "
                  f"API {record.manifest.api} (la plateforme fournit {PLUGIN_API_VERSION})")
    if record.hooks:
        report.ok("hooks : " + ", ".join(record.hooks))


def _indent(text: str) -> str:
    return "\n".join("          " + line for line in text.strip().splitlines()[-8:])


async def _migrations(report: Report, manager: PluginManager, record: PluginRecord, warning: str) -> None:
    from core.plugins.migrations import unmigrated_changes

    if record.manifest is None or not record.manifest.piccolo_app or not record.mounted:
        return
    files = migration_files(record)
    changes = await unmigrated_changes(record.manifest.piccolo_app)
    if changes:
        report.error(f"{changes} changement(s) de tables sans migration",
                     f"socle plugins makemigrations {record.id}, puis socle migrate")
    elif not files:
        report.ok("aucune table, aucune migration")
    if warning:
        report.warn(warning, "vérifiez SOCLE_DATABASE_URL")
    elif record.status is PluginStatus.needs_migration:
        report.error(f"migrations : {record.error}", "socle migrate")
    elif files:
        report.ok(f"migrations : {len(files)} fichier(s), toutes appliquées")


def _templates(report: Report, record: PluginRecord) -> None:
    if record.module is None or not record.module.__file__:
        return
    package = Path(record.module.__file__).parent
    named = set()
    for source in package.rglob("*.py"):
        named |= set(re.findall(rf"[\"']({re.escape(record.id)}/[\w./-]+\.html)[\"']", source.read_text("utf-8")))
    if record.template_dir is None:
        if named:
            report.error(f"templates introuvables (le code utilise {', '.join(sorted(named))})",
                         f"placez-les dans {package.name}/templates/{record.id}/ et incluez-les au paquet "
                         '([tool.setuptools.package-data] "*" = ["*.html"])')
        return
    env = Environment(loader=FileSystemLoader([str(CORE_TEMPLATES), str(record.template_dir.parent)]))
    found = sorted(str(p.relative_to(record.template_dir.parent)) for p in record.template_dir.rglob("*.html"))
    problems = 0
    for name in found:
        try:
            parsed = env.parse(env.loader.get_source(env, name)[0])  # type: ignore[union-attr]
            for parent in meta.find_referenced_templates(parsed):
                if parent:
                    env.get_template(parent)
        except TemplateError as error:
            problems += 1
            report.error(f"template {name} : {type(error).__name__}: {error}",
                         "corrigez la syntaxe Jinja ; une page étend « layout.html » "
                         "({% extends \"layout.html\" %}{% block content %}…{% endblock %})")
    for name in sorted(named - set(found)):
        problems += 1
        report.error(f"template {name} introuvable (nommé dans le code)",
                     f"créez {package.name}/templates/{name}")
    if not problems:
        report.ok(f"templates : {len(found)} trouvé(s) et lisible(s)")


def _permissions(report: Report, manager: PluginManager, record: PluginRecord) -> None:
    handlers: list[Any] = []
    for hook in ("register_routes", "register_api_routes", "register_public_routes"):
        function = getattr(record.module, hook, None)  # called directly: a plugin waiting for migrations too
        if callable(function):
            try:
                wants = inspect.signature(function).parameters
                handlers.extend(function(*[manager.platform(record.id)][:len(wants)]) or [])
            except Exception as error:
                report.error(f"{hook} a échoué : {type(error).__name__}: {error}",
                             "corrigez le hook (il est appelé une fois au démarrage, de façon synchrone)")
    unknown = sorted({(h.opt or {}).get("permission") for h in handlers if hasattr(h, "opt")} - {None}
                     - set(manager.permissions))
    for name in unknown:
        report.error(f"une route demande la permission « {name} », non déclarée (la route répondrait 404)",
                     f'déclarez Permission("{name}", "…", Role.basic) dans MANIFEST.permissions')
    declared = sorted(n for n in manager.permissions if n.startswith(record.id + "."))
    if declared and not unknown:
        report.ok("permissions : " + ", ".join(declared))
    for error in record.runtime_errors:
        report.error(f"hook en échec : {error}", "corrigez l'implémentation (son exception est isolée et journalisée)")


async def check(manager: PluginManager, plugin_id: str, warning: str = "") -> Report:
    report = Report()
    if not _entry_point(report, plugin_id):
        return report
    record = manager.record(plugin_id)
    assert record is not None
    _load(report, record)
    if record.mounted:
        await _migrations(report, manager, record, warning)
        _templates(report, record)
        _permissions(report, manager, record)
    report.lines = [scrub_paths(line) for line in report.lines]
    return report
