"""One plugin status for the server and the command line: a module whose migrations have not run is
`needs_migration` everywhere (also on a data directory never migrated); where it is activated it answers
503 « Le module doit être mis à jour : socle migrate » to admins instead of 404, and stays listed in
`active_modules`; no absolute server path reaches the API; strict mode keeps `socle plugins list` usable."""

import dataclasses

import pytest

from core import cli, db
from core.modules import activation
from core.testing.distributions import write_plugin
from core.testing.fixtures import api_token, login
from tests.core.modules.helpers import add_office
from tests.core.plugins.sources import broken_plugin

HOOKS = '''
from litestar import get
from core.plugin_api import Manifest, Permission, Role, hookimpl

MANIFEST = Manifest(id="PLUGIN_ID", title="Module à migrer", piccolo_app="socle_test_PLUGIN_ID.piccolo_app",
                    permissions=(Permission("PLUGIN_ID.read", "Lire", Role.basic),))


@get("/ping", opt={"permission": "PLUGIN_ID.read"})
async def ping() -> dict:
    return {"ok": True}


@get("/hello")
async def hello() -> str:
    return "bonjour"


@hookimpl
def register_api_routes(platform):
    return [ping]


@hookimpl
def register_public_routes(platform):
    return [hello]
'''
APP = '''
from pathlib import Path
from piccolo.conf.apps import AppConfig

APP_CONFIG = AppConfig(app_name="PLUGIN_ID", migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
                       table_classes=[])
'''
MIGRATION = '''
from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-01T10:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "nothing but a row in the migration table"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="PLUGIN_ID", description=DESCRIPTION)
    manager.add_raw(lambda: None)
    return manager
'''


def migrating_plugin(folder, plugin_id: str) -> str:
    fill = lambda text: text.replace("PLUGIN_ID", plugin_id)  # noqa: E731
    return write_plugin(folder, plugin_id, fill(HOOKS), files={
        "piccolo_app.py": fill(APP), "piccolo_migrations/__init__.py": "",
        f"piccolo_migrations/{plugin_id}_2026_12_01t10_00_00_000000.py": fill(MIGRATION)})


@pytest.fixture
def app_factory(settings, plugin_folder, request):
    from core.web import create_app

    migrating_plugin(plugin_folder, f"mig_{abs(hash(request.node.nodeid)) % 10**8}")  # a new app per run
    return lambda: create_app(settings)


async def test_needs_migration_answers_503_where_activated_and_reopens_after_migrate(client, app, make_org,
                                                                                   add_member):
    manager = app.state.plugins
    plugin_id = next(r.id for r in manager.records if r.id.startswith("mig_"))
    assert manager.record(plugin_id).status.value == "needs_migration"
    org = await make_org("Auto-école Migration")
    headers = await api_token(client, org.owner_email)
    second = await add_office(client, headers, "Annexe")
    await activation.set_active(org.organisation_id, org.office_id, plugin_id, True)
    ping = f"/api/v1/offices/{{}}/m/{plugin_id}/ping"

    blocked = await client.get(ping.format(org.office_id), headers=headers)
    assert blocked.status_code == 503
    assert blocked.json() == {"detail": "Le module doit être mis à jour : socle migrate", "errors": []}
    assert (await client.get(ping.format(second), headers=headers)).status_code == 404  # not activated there
    offices = {o["id"]: o for o in (await client.get("/api/v1/offices", headers=headers)).json()}
    assert plugin_id in offices[org.office_id]["active_modules"]
    assert plugin_id not in offices[second]["active_modules"]
    assert plugin_id in (await client.get(f"/api/v1/offices/{org.office_id}", headers=headers)).json()[
        "active_modules"]
    listed = next(m for m in (await client.get("/api/v1/modules", headers=headers)).json() if m["id"] == plugin_id)
    assert listed["status"] == "needs_migration" and "socle migrate" in listed["error"]

    _, basic_email = await add_member(org, "basic")
    basic = await client.get(ping.format(org.office_id), headers=await api_token(client, basic_email))
    assert basic.status_code == 503 and "prévenez un administrateur" in basic.json()["detail"]
    public = await client.get(f"/public/offices/{org.office_id}/m/{plugin_id}/hello")
    assert public.status_code == 503 and "momentanément indisponible" in public.text

    await login(client, org.owner_email)
    installed = await client.get("/config/modules/installed")
    assert "Migration nécessaire" in installed.text and "lancez « socle migrate »" in installed.text
    client.cookies.clear()

    await db.migrate(manager.app_modules())
    await manager.check_migrations()
    assert manager.record(plugin_id).status.value == "ok"
    assert (await client.get(ping.format(org.office_id), headers=headers)).json() == {"ok": True}
    assert (await client.get(ping.format(second), headers=headers)).status_code == 404


async def test_modules_api_never_shows_absolute_paths(client, app_factory, plugin_folder, settings, make_org):
    from core.web import create_app

    broken_plugin(plugin_folder, "cassee", "raise RuntimeError('cassé dans ' + __file__)\n")
    application = create_app(dataclasses.replace(settings, strict_plugins=False))
    async with _client(application) as other:
        org = await make_org("Auto-école Chemins")
        listed = (await other.get("/api/v1/modules", headers=await api_token(other, org.owner_email))).json()
    error = next(m for m in listed if m["id"] == "cassee")["error"]
    assert "RuntimeError: cassé dans socle_test_cassee/hooks.py" in error
    assert str(plugin_folder) not in error and "Traceback" not in error


def _client(application):
    import httpx

    class Running:
        async def __aenter__(self):
            for hook in application.on_startup:
                await application._call_lifespan_hook(hook)
            self.http = httpx.AsyncClient(transport=httpx.ASGITransport(app=application),
                                          base_url="http://testserver.local")
            return self.http

        async def __aexit__(self, *exc):
            await self.http.aclose()
            for hook in application.on_shutdown:
                await application._call_lifespan_hook(hook)

    return Running()


@pytest.mark.nodb
def test_cli_list_agrees_with_the_server_on_a_never_migrated_data_dir(plugin_folder, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SOCLE_DATA_DIR", str(tmp_path / "neuf"))
    monkeypatch.delenv("SOCLE_DATABASE_URL", raising=False)
    monkeypatch.delenv("SOCLE_STRICT_PLUGINS", raising=False)
    migrating_plugin(plugin_folder, "mig_cli")
    cli.main(["plugins", "list"])
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("mig_cli "))
    assert "needs_migration" in line and "1 migration(s) à appliquer" in line
    assert not (tmp_path / "neuf" / "socle.sqlite").exists()  # the diagnostic creates no database
    cli.main(["migrate"])
    cli.main(["plugins", "list"])
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("mig_cli "))
    assert " ok " in line


@pytest.mark.nodb
def test_strict_plugins_list_prints_the_diagnostic_and_exits_1(plugin_folder, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SOCLE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("SOCLE_DATABASE_URL", raising=False)
    monkeypatch.setenv("SOCLE_STRICT_PLUGINS", "1")
    broken_plugin(plugin_folder, "beta", "raise RuntimeError('cassé au chargement')\n")
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["plugins", "list"])
    assert exit_info.value.code == 1
    out, err = capsys.readouterr()
    assert "RuntimeError: cassé au chargement" in next(x for x in out.splitlines() if x.startswith("beta "))
    assert "Mode strict (SOCLE_STRICT_PLUGINS=1)" in err and "beta (en échec)" in err
    assert "Traceback" not in out + err
    with pytest.raises(SystemExit) as exit_info:  # other commands: the reason on one line, no traceback
        cli.main(["plugins", "run", "beta", "x"])
    assert exit_info.value.code == 2
    assert "Erreur : module(s) en échec en mode strict : plugin beta" in capsys.readouterr().err


@pytest.mark.nodb
def test_check_explains_a_module_that_does_not_load(plugin_folder, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SOCLE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("SOCLE_DATABASE_URL", raising=False)
    broken_plugin(plugin_folder, "beta", "import module_absent_du_site\n")
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["plugins", "check", "beta"])
    assert exit_info.value.code == 1
    out = capsys.readouterr().out
    assert "ERREUR  chargement : import impossible : ModuleNotFoundError: No module named 'module_absent_du_" in out
    assert "socle_test_beta/hooks.py" in out and str(plugin_folder) not in out  # the traceback, relative paths
    with pytest.raises(SystemExit):
        cli.main(["plugins", "check", "inconnu"])
    assert "aucun point d'entrée socle.plugins nommé « inconnu »" in capsys.readouterr().out
