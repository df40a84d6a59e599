"""`socle plugins list | new | makemigrations | check | run`: the module author's commands."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path
from typing import Any

from core.config import Settings
from core.plugins.manager import PluginManager


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    plugins = sub.add_parser("plugins", help="modules installés")
    actions = plugins.add_subparsers(dest="plugins_command", required=True)
    actions.add_parser("list", help="lister les modules : id, version, état, erreur, hooks").set_defaults(
        func=cmd_list)
    new = actions.add_parser("new", help="créer un module prêt à installer (paquet, tests, migration)")
    new.add_argument("plugin", help="identifiant du module : lettres minuscules, chiffres et _")
    new.add_argument("--dir", default=".", help="dossier où créer socle-<id>/ (défaut : le dossier courant)")
    new.add_argument("--title", default=None, help="titre affiché aux gérants (défaut : tiré de l'identifiant)")
    new.set_defaults(func=cmd_new)
    make = actions.add_parser("makemigrations", help="créer la migration des tables modifiées d'un module")
    make.add_argument("plugin")
    make.add_argument("--description", default="")
    make.set_defaults(func=cmd_makemigrations)
    check = actions.add_parser("check", help="vérifier un module : manifeste, API, hooks, migrations, templates")
    check.add_argument("plugin")
    check.set_defaults(func=cmd_check)
    run = actions.add_parser("run", help="lancer une commande fournie par un module")
    run.add_argument("plugin")
    run.add_argument("name")
    run.add_argument("args", nargs=argparse.REMAINDER)
    run.set_defaults(func=cmd_run)
    sim = sub.add_parser("sim", help="lancer un simulateur fourni par un module (sa commande sim-<nom>)")
    sim.add_argument("name", help="nom du simulateur, par exemple rdvpermis")
    sim.add_argument("args", nargs=argparse.REMAINDER)
    sim.set_defaults(func=cmd_sim)


def table(manager: PluginManager) -> str:
    rows = [("ID", "VERSION", "ÉTAT", "ERREUR", "HOOKS")]
    rows += [(r.id, r.version or "-", r.status.value, r.error or "-", ", ".join(r.hooks) or "-")
             for r in manager.records]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(widths[i]) if i < 4 else cell for i, cell in enumerate(row)) for row in rows]
    if len(rows) == 1:
        lines.append("(aucun module installé : point d'entrée socle.plugins)")
    return "\n".join(lines)


def _quiet_loader_log() -> None:
    """The diagnostics print each error themselves: no second copy from the loader's log on stderr."""
    if not logging.getLogger().handlers:
        logging.getLogger("socle.plugins").addHandler(logging.NullHandler())


def cmd_list(settings: Settings, args: argparse.Namespace) -> None:
    """The table, with the status the server would show (migrations read from the database). With
    SOCLE_STRICT_PLUGINS=1, a module that is not `ok` makes the command exit 1 after printing the table."""
    from core.plugins.status import load_with_status

    _quiet_loader_log()
    manager, warning = asyncio.run(load_with_status(settings))
    print(table(manager))
    if warning:
        print(warning, file=sys.stderr)
    unhealthy = [r for r in manager.records if not r.healthy]
    if settings.strict_plugins and unhealthy:
        names = ", ".join(f"{r.id} ({r.status.label.lower()})" for r in unhealthy)
        print(f"Mode strict (SOCLE_STRICT_PLUGINS=1) : {len(unhealthy)} module(s) à corriger : {names}. "
              "Détail : socle plugins check <id>.", file=sys.stderr)
        raise SystemExit(1)


def cmd_sim(settings: Settings, args: argparse.Namespace) -> None:
    """`socle sim <name> [args…]`: the first loaded module's command named `sim-<name>` (a simulator of an
    external service a module talks to), as `socle plugins run <module> sim-<name>` would run it."""
    manager = PluginManager(settings).load()
    found: list[str] = []
    for _, commands in manager.call_sync("register_cli_commands"):
        for command in commands:
            if command.name == f"sim-{args.name}":
                raise SystemExit(asyncio.run(command.handler(list(args.args))) or 0)
            if command.name.startswith("sim-"):
                found.append(command.name.removeprefix("sim-"))
    print(f"Simulateur inconnu : {args.name}. Disponibles : {', '.join(found) or 'aucun'}.", file=sys.stderr)
    raise SystemExit(2)


def cmd_run(settings: Settings, args: argparse.Namespace) -> None:
    manager = PluginManager(settings).load([args.plugin])
    for _, commands in manager.call_sync("register_cli_commands", {args.plugin}):
        for command in commands:
            if command.name == args.name:
                raise SystemExit(asyncio.run(command.handler(list(args.args))) or 0)
    record = manager.record(args.plugin)
    reason = f" ({record.error})" if record and record.error else ""
    raise SystemExit(f"Commande inconnue : {args.plugin} {args.name}{reason}")


def cmd_new(settings: Settings, args: argparse.Namespace) -> None:
    from core.plugins import scaffold

    root = scaffold.create(args.plugin, Path(args.dir), args.title)
    print(f"Module « {args.plugin} » créé dans {root} (migration initiale comprise). Ensuite :\n"
          f"  cd {root}\n  pip install -e .\n  socle migrate\n  python -m pytest\n"
          f"  socle plugins check {args.plugin}")


def _loaded(settings: Settings, plugin_id: str) -> PluginManager:
    manager = PluginManager(settings).load([plugin_id], strict=False)
    record = manager.record(plugin_id)
    if record is None or not record.mounted:
        reason = record.error if record else "introuvable"
        raise SystemExit(f"Erreur : le module « {plugin_id} » ne se charge pas : {reason}. "
                         f"Voir : socle plugins check {plugin_id}")
    return manager


def cmd_makemigrations(settings: Settings, args: argparse.Namespace) -> None:
    from core.plugins.migrations import make_migration

    record = _loaded(settings, args.plugin).record(args.plugin)
    assert record is not None and record.manifest is not None
    if not record.manifest.piccolo_app:
        raise SystemExit(f"Erreur : « {args.plugin} » n'a pas d'application Piccolo : déclarez "
                         'piccolo_app="<paquet>.piccolo_app" dans son MANIFEST.')
    path = asyncio.run(make_migration(record.manifest.piccolo_app, args.description))
    if path is None:
        print(f"Aucun changement dans les tables de {args.plugin} : pas de nouvelle migration.")
    else:
        print(f"Migration créée : {path}\nAppliquez-la avec : socle migrate")


def cmd_check(settings: Settings, args: argparse.Namespace) -> None:
    from core.plugins.check import check
    from core.plugins.status import refresh

    _quiet_loader_log()

    async def run() -> Any:
        manager = PluginManager(settings).load([args.plugin], strict=False)
        warning = await refresh(manager) if manager.record(args.plugin) else ""
        return await check(manager, args.plugin, warning)

    report = asyncio.run(run())
    print("\n".join(report.lines))
    if report.errors:
        print(f"{report.errors} problème(s) à corriger dans « {args.plugin} ».", file=sys.stderr)
        raise SystemExit(1)
    print(f"Le module « {args.plugin} » est prêt.")
