"""`socle plugins new` writes a module that installs (pip --target, offline) and passes its own tests
unchanged; activated through the API cart, its page and API answer; `socle plugins check` and
`makemigrations` say what to fix, in French."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from core import cli, db
from core.testing.distributions import forget_modules
from core.testing.fixtures import api_token, login
from tests.core.modules.helpers import add_office, order_modules

PLUGIN = "centre_examen"
PACKAGE = "socle_centre_examen"


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("auteur")
    cli.main(["plugins", "new", PLUGIN, "--dir", str(folder), "--title", "Centre d'examen"])
    return folder / "socle-centre-examen"


@pytest.fixture(scope="module")
def site(scaffolded: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-build-isolation", "--no-deps",
                    "--no-index", "--target", str(target), str(scaffolded)], check=True,
                   cwd=tmp_path_factory.mktemp("build"), capture_output=True)
    assert (target / PACKAGE / "templates" / PLUGIN / "index.html").exists()  # package data installed
    return target


@pytest.fixture
def on_path(site, monkeypatch):
    monkeypatch.syspath_prepend(str(site))
    yield site
    forget_modules(PACKAGE)


@pytest.fixture
def app_factory(settings, on_path):
    from core.web import create_app

    return lambda: create_app(settings)


@pytest.mark.nodb
def test_the_scaffold_has_every_part_and_passes_its_own_tests(scaffolded, site):
    files = {str(p.relative_to(scaffolded)) for p in scaffolded.rglob("*") if p.is_file()}
    assert {"pyproject.toml", "README.md", f"{PACKAGE}/hooks.py", f"{PACKAGE}/tables.py", f"{PACKAGE}/routes.py",
            f"{PACKAGE}/templates/{PLUGIN}/index.html", "tests/conftest.py", f"tests/test_{PLUGIN}.py"} <= files
    assert [f for f in files if f.startswith(f"{PACKAGE}/piccolo_migrations/{PLUGIN}_2")]  # its first migration
    pyproject = (scaffolded / "pyproject.toml").read_text()
    assert f'{PLUGIN} = "{PACKAGE}.hooks"' in pyproject and 'asyncio_mode = "auto"' in pyproject
    assert '{% extends "layout.html" %}' in (scaffolded / PACKAGE / "templates" / PLUGIN / "index.html").read_text()
    env = {**os.environ, "PYTHONPATH": str(site), "SOCLE_TEST_DB": "sqlite"}
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=scaffolded,
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "6 passed" in result.stdout


async def test_activated_through_the_cart_its_page_and_api_answer(client, app, make_org):
    manager = app.state.plugins
    await db.migrate(manager.app_modules())
    await manager.check_migrations()
    assert manager.record(PLUGIN).status.value == "ok"
    org = await make_org("Auto-école Scaffold")
    headers = await api_token(client, org.owner_email)
    second = await add_office(client, headers, "Annexe")
    order = await order_modules(client, headers, (org.office_id, PLUGIN, "activate"))
    assert (order["ht"], order["ttc"]) == ("10.00", "12.00")
    notes = f"/api/v1/offices/{{}}/m/{PLUGIN}/notes"
    created = await client.post(notes.format(org.office_id), headers=headers, json={"text": "Session du 12 mars"})
    assert created.status_code == 201, created.text
    assert (await client.get(notes.format(org.office_id), headers=headers)).json() == [created.json()]
    assert (await client.get(notes.format(second), headers=headers)).status_code == 404
    await login(client, org.owner_email)
    page = await client.get(f"/offices/{org.office_id}/m/{PLUGIN}/")
    assert page.status_code == 200
    assert "<h1>Centre d'examen — " in page.text and "<li>Session du 12 mars</li>" in page.text
    assert 'class="sidebar"' in page.text and f"/offices/{org.office_id}/m/{PLUGIN}/" in page.text  # layout, menu
    schema = (await client.get("/schema/openapi.json")).json()
    assert f"/api/v1/offices/{{office_id}}/m/{PLUGIN}/notes" in schema["paths"]


@pytest.mark.nodb
def test_check_and_makemigrations_say_what_to_fix(site, tmp_path, monkeypatch, capsys):
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    monkeypatch.syspath_prepend(str(copy))
    monkeypatch.setenv("SOCLE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SOCLE_DATABASE_URL", raising=False)
    monkeypatch.delenv("SOCLE_STRICT_PLUGINS", raising=False)
    try:
        with pytest.raises(SystemExit) as exit_info:
            cli.main(["plugins", "check", PLUGIN])
        assert exit_info.value.code == 1
        out = capsys.readouterr().out
        assert f"OK      point d'entrée {PLUGIN} = {PACKAGE}.hooks" in out
        assert "API >=1.0,<2 (la plateforme fournit 1.4)" in out and "templates : 1 trouvé(s)" in out
        assert "ERREUR  migrations : 1 migration(s) à appliquer" in out and "→ socle migrate" in out

        tables = copy / PACKAGE / "tables.py"
        column = "    text = Varchar(length=200)\n"
        tables.write_text(tables.read_text().replace(column, column + "    author = Varchar(length=80)\n"))
        (copy / PACKAGE / "routes.py").write_text((copy / PACKAGE / "routes.py").read_text().replace(
            '"centre_examen/index.html"', '"centre_examen/accueil.html"').replace(
            '@get("/notes", opt={"permission": "centre_examen.read"})',
            '@get("/notes", opt={"permission": "centre_examen.lire"})'))
        forget_modules(PACKAGE)
        with pytest.raises(SystemExit):
            cli.main(["plugins", "check", PLUGIN])
        out = capsys.readouterr().out
        assert "ERREUR  1 changement(s) de tables sans migration" in out
        assert f"→ socle plugins makemigrations {PLUGIN}, puis socle migrate" in out
        assert "template centre_examen/accueil.html introuvable" in out
        assert "permission « centre_examen.lire », non déclarée" in out

        cli.main(["plugins", "makemigrations", PLUGIN])
        assert "Migration créée : " in capsys.readouterr().out
        assert len(list((copy / PACKAGE / "piccolo_migrations").glob(f"{PLUGIN}_2*.py"))) == 2
        cli.main(["plugins", "makemigrations", PLUGIN])
        assert "Aucun changement dans les tables" in capsys.readouterr().out
        cli.main(["migrate"])
        capsys.readouterr()
        with pytest.raises(SystemExit):
            cli.main(["plugins", "check", PLUGIN])
        out = capsys.readouterr().out
        assert "OK      migrations : 2 fichier(s), toutes appliquées" in out and "sans migration" not in out
    finally:
        forget_modules(PACKAGE)


@pytest.mark.nodb
@pytest.mark.parametrize(("args", "message"), [
    (["Centre-Examen"], "Identifiant « Centre-Examen » invalide"),
    (["centre", "--title", 'Le "centre"'], "Le titre doit compter 2 à 60 caractères"),
])
def test_new_refuses_a_bad_id_or_title_in_french(args, message, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["plugins", "new", *args, "--dir", str(tmp_path)])
    assert exit_info.value.code == 2 and message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
