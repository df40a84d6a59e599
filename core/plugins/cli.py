"""`socle plugins list` and `socle plugins run <id> <command> [args…]`."""

from __future__ import annotations

import argparse
import asyncio
import sys

from core.config import Settings
from core.plugins.manager import PluginManager


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    plugins = sub.add_parser("plugins", help="modules installés")
    actions = plugins.add_subparsers(dest="plugins_command", required=True)
    actions.add_parser("list", help="lister les modules : id, version, état, erreur, hooks").set_defaults(
        func=cmd_list)
    run = actions.add_parser("run", help="lancer une commande fournie par un module")
    run.add_argument("plugin")
    run.add_argument("name")
    run.add_argument("args", nargs=argparse.REMAINDER)
    run.set_defaults(func=cmd_run)


def table(manager: PluginManager) -> str:
    rows = [("ID", "VERSION", "ÉTAT", "ERREUR", "HOOKS")]
    rows += [(r.id, r.version or "-", r.status.value, r.error or "-", ", ".join(r.hooks) or "-")
             for r in manager.records]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(widths[i]) if i < 4 else cell for i, cell in enumerate(row)) for row in rows]
    if len(rows) == 1:
        lines.append("(aucun module installé : point d'entrée socle.plugins)")
    return "\n".join(lines)


def cmd_list(settings: Settings, args: argparse.Namespace) -> None:
    """The table, with the status the server would show (migrations read from the database). With
    SOCLE_STRICT_PLUGINS=1, a module that is not `ok` makes the command exit 1 after printing the table."""
    from core.plugins.status import load_with_status

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


def cmd_run(settings: Settings, args: argparse.Namespace) -> None:
    manager = PluginManager(settings).load([args.plugin])
    for _, commands in manager.call_sync("register_cli_commands", {args.plugin}):
        for command in commands:
            if command.name == args.name:
                raise SystemExit(asyncio.run(command.handler(list(args.args))) or 0)
    record = manager.record(args.plugin)
    reason = f" ({record.error})" if record and record.error else ""
    raise SystemExit(f"Commande inconnue : {args.plugin} {args.name}{reason}")
