"""The `socle` command: serve, worker, migrate, backup, restore, demo, create-org, create-user, create-operator,
billing run."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import sys
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

from core import db
from core.config import Settings, local_base_url
from core.demo import DEMO_LOGINS, DEMO_PASSWORD
from core.errors import SocleError
from core.plugins.records import PluginError


def plugin_app_modules(settings: Settings) -> list[str]:
    from core.plugins import PluginManager

    return PluginManager(settings).load().app_modules()


async def _with_db(settings: Settings, work: Callable[[], Awaitable[Any]]) -> Any:
    engine = db.create_engine(settings.database_url)
    db.bind(engine, db.all_tables(db.app_configs(plugin_app_modules(settings))))
    await db.start(engine)
    try:
        return await work()
    finally:
        await db.stop(engine)


def cmd_migrate(settings: Settings, args: argparse.Namespace) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    asyncio.run(_with_db(settings, lambda: db.migrate(plugin_app_modules(settings))))
    print("Base de données à jour.")


def cmd_demo(settings: Settings, args: argparse.Namespace) -> None:
    from core.demo import load_demo

    logins = asyncio.run(_with_db(settings, lambda: load_demo(only_if_empty=args.if_empty, settings=settings)))
    if logins is None:
        print("La base contient déjà des données : démo non rechargée.")
        logins = DEMO_LOGINS
    print_logins(logins)


def print_logins(logins: list[tuple[str, str, str]]) -> None:
    print(f"\nComptes de démonstration (mot de passe : {DEMO_PASSWORD})")
    for organisation, role, email in logins:
        print(f"  {organisation:<32} {role:<16} {email}")
    print()


def cmd_create_user(settings: Settings, args: argparse.Namespace) -> None:
    from core.tenancy import services

    user = asyncio.run(_with_db(settings, lambda: services.create_user(args.email, args.password)))
    print(f"Compte créé : {user.email}")


def cmd_create_operator(settings: Settings, args: argparse.Namespace) -> None:
    from core.operators.accounts import create_operator

    new = asyncio.run(_with_db(settings, lambda: create_operator(args.email, args.password)))
    print(f"Opérateur créé : {new.email}\nMot de passe : {new.password}")
    print(f"Secret TOTP (à saisir dans l'application d'authentification) : {new.secret}\n{new.uri}")
    print("Codes de secours (chacun utilisable une fois, affichés une seule fois) :")
    for code in new.recovery_codes:
        print(f"  {code}")


def cmd_billing_run(settings: Settings, args: argparse.Namespace) -> None:
    from core.modules.catalog import Catalog
    from core.operators.billing import month_bounds, run_month
    from core.plugins import PluginManager

    month_bounds(args.month)  # a bad month is refused before anything opens
    catalog = Catalog.of(PluginManager(settings).load())
    created, seconds = asyncio.run(_with_db(settings, lambda: run_month(catalog, args.month)))
    print(f"Facturation {args.month} : {len(created)} facture(s) créée(s) en {seconds:.1f} s "
          "(PDF en tâches : socle worker).")


def cmd_create_org(settings: Settings, args: argparse.Namespace) -> None:
    from core.tenancy import services

    async def work() -> Any:
        owner = await services.user_by_email(args.owner_email)
        if owner is None:
            owner = await services.create_user(args.owner_email, args.owner_password)
        return await services.create_organisation(args.name, owner, args.owner_name or args.owner_email)

    organisation = asyncio.run(_with_db(settings, work))
    print(f"Organisation créée : {organisation.name} (id {organisation.id}, {organisation.slug})")


def serve_settings(settings: Settings, host: str, port: int, environ: Mapping[str, str]) -> Settings:
    """Links in emails, SMS and public pages follow the port served on, unless SOCLE_BASE_URL says otherwise."""
    if environ.get("SOCLE_BASE_URL"):
        return settings
    return dataclasses.replace(settings, base_url=local_base_url(host, port))


def cmd_serve(settings: Settings, args: argparse.Namespace) -> None:
    from core.ops.serve import serve

    settings = serve_settings(settings, args.host, args.port, os.environ)
    os.environ["SOCLE_BASE_URL"] = settings.base_url  # the server processes build their settings from it
    print(f"Liens des e-mails et des pages publiques : {settings.base_url}", flush=True)
    serve(settings, host=args.host, port=args.port, workers=args.workers, access_log=args.access_log,
          server=args.server)


def cmd_backup(settings: Settings, args: argparse.Namespace) -> None:
    from core.ops.backup import backup

    print(f"Sauvegarde écrite : {backup(settings, Path(args.file))}")


def cmd_restore(settings: Settings, args: argparse.Namespace) -> None:
    from core.ops.backup import restore

    restore(settings, Path(args.file))
    print(f"Base restaurée depuis {args.file} (intégrité, clés étrangères et migrations vérifiées). "
          "Lancez « socle migrate » si la sauvegarde est plus ancienne que cette version.")


def cmd_worker(settings: Settings, args: argparse.Namespace) -> None:
    from core import events
    from core.jobs import run_worker_process
    from core.ops.logs import configure_logging
    from core.plugins import PluginManager
    from core.plugins.jobs import registry_with_plugin_jobs

    configure_logging(settings)

    manager = PluginManager(settings).load()
    events.bind(manager.emit)
    events.bind_validator(manager.validate)
    handled = asyncio.run(run_worker_process(settings, registry_with_plugin_jobs(manager), once=args.once,
                                             app_modules=manager.app_modules()))
    print(f"Worker arrêté ({handled} message(s) traité(s)).")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="socle", description="Socle : la plateforme des bureaux recevant du public.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="servir l'application web")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8000))
    serve.add_argument("--workers", type=int, default=1,
                       help="processus web (plusieurs seulement sur PostgreSQL ; un seul sur SQLite)")
    serve.add_argument("--access-log", action="store_true")
    serve.add_argument("--server", choices=["granian", "uvicorn"], default="granian",
                       help="serveur HTTP (granian par défaut, le plus rapide mesuré : docs/deploy.md)")
    serve.set_defaults(func=cmd_serve)
    worker = sub.add_parser("worker", help="envoyer les messages et exécuter les tâches en attente")
    worker.add_argument("--once", action="store_true", help="s'arrêter quand plus rien n'est dû")
    worker.set_defaults(func=cmd_worker)
    sub.add_parser("migrate", help="appliquer les migrations").set_defaults(func=cmd_migrate)
    saved = sub.add_parser("backup", help="sauvegarder la base (copie cohérente, application en marche)")
    saved.add_argument("file")
    saved.set_defaults(func=cmd_backup)
    restored = sub.add_parser("restore", help="remplacer la base par une sauvegarde (arrêtez l'application avant)")
    restored.add_argument("file")
    restored.set_defaults(func=cmd_restore)
    demo = sub.add_parser("demo", help="charger les données de démonstration")
    demo.add_argument("--if-empty", action="store_true", help="seulement si la base est vide")
    demo.set_defaults(func=cmd_demo)
    user = sub.add_parser("create-user", help="créer un compte de connexion")
    user.add_argument("email")
    user.add_argument("password")
    user.set_defaults(func=cmd_create_user)
    operator = sub.add_parser("create-operator", help="créer un compte opérateur (console, double authentification)")
    operator.add_argument("email")
    operator.add_argument("--password", help="sinon un mot de passe aléatoire est affiché")
    operator.set_defaults(func=cmd_create_operator)
    billing = sub.add_parser("billing", help="facturation mensuelle des modules (console opérateur)")
    billing_sub = billing.add_subparsers(dest="billing_command", required=True)
    billing_run = billing_sub.add_parser("run", help="facturer un mois (sans effet s'il est déjà facturé)")
    billing_run.add_argument("--month", required=True, help="mois à facturer, AAAA-MM")
    billing_run.set_defaults(func=cmd_billing_run)
    org = sub.add_parser("create-org", help="créer une organisation et son gérant")
    org.add_argument("name")
    org.add_argument("owner_email")
    org.add_argument("--owner-password")
    org.add_argument("--owner-name", default="")
    org.set_defaults(func=cmd_create_org)
    from core.plugins.cli import add_parser

    add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    settings = Settings.from_env()
    try:
        args.func(settings, args)
    except SocleError as error:
        details = "; ".join(f"{e.field} : {e.message}" for e in error.errors)
        print(f"Erreur : {error.message}" + (f" ({details})" if details else ""), file=sys.stderr)
        raise SystemExit(2) from error
    except PluginError as error:  # strict mode (SOCLE_STRICT_PLUGINS=1): the reason, not a traceback
        print(f"Erreur : module(s) en échec en mode strict : {error}\nDétail : socle plugins list",
              file=sys.stderr)
        raise SystemExit(2) from error


if __name__ == "__main__":
    main()
