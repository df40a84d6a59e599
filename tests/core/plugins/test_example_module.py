"""The example third-party module (examples/socle-hello-gateway, outside core/ and plugins/) is built and
pip-installed into a --target folder, then seen by the loader, activated through the cart for one office
and reachable there only; its own test suite passes with core.testing's plugin fixtures."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core import db
from core.testing.fixtures import api_token, login
from tests.core.modules.helpers import add_office, order_modules

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "socle-hello-gateway"


@pytest.fixture(scope="module")
def hello_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("hello-site")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-build-isolation", "--no-deps",
                    "--no-index", "--target", str(target), str(EXAMPLE)], check=True,
                   cwd=tmp_path_factory.mktemp("build"))
    assert list(target.glob("socle_hello_gateway-0.1.0.dist-info/entry_points.txt"))
    return target


@pytest.fixture
def app_factory(settings, hello_site, monkeypatch):
    from core.web import create_app

    monkeypatch.syspath_prepend(str(hello_site))
    yield lambda: create_app(settings)
    for name in [n for n in sys.modules if n.startswith("socle_hello_gateway")]:
        del sys.modules[name]


async def test_installed_example_is_listed_activated_for_one_office_and_gated(client, app, make_org):
    manager = app.state.plugins
    assert "socle_hello_gateway.piccolo_app" in manager.app_modules()  # from its manifest
    org = await make_org("Auto-école Hello")
    headers = await api_token(client, org.owner_email)
    if manager.record("hello_gateway").status.value == "needs_migration":  # first run on this database
        listed = (await client.get("/api/v1/modules", headers=headers)).json()
        assert "migration(s) à appliquer" in next(m for m in listed if m["id"] == "hello_gateway")["error"]
    await db.migrate(manager.app_modules())
    await manager.check_migrations()
    if not db.is_postgres():  # a third party's tables get AUTOINCREMENT too: their ids are never reused
        schema = await db.fetch("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name LIKE 'hello%'")
        assert schema and all("AUTOINCREMENT" in row["sql"] for row in schema), schema
    second = await add_office(client, headers, "Annexe")
    modules = {m["id"]: m for m in (await client.get("/api/v1/modules", headers=headers)).json()}
    assert modules["hello_gateway"]["version"] == "0.1.0" and modules["hello_gateway"]["status"] == "ok"
    order = await order_modules(client, headers, (org.office_id, "hello_gateway", "activate"))
    assert (order["ht"], order["tva"], order["ttc"]) == ("71.00", "14.20", "85.20")
    base = "/api/v1/offices/{}/m/hello_gateway/greetings"
    assert (await client.get(base.format(org.office_id), headers=headers)).json() == []
    assert (await client.get(base.format(second), headers=headers)).status_code == 404
    await login(client, org.owner_email)
    page = await client.get(f"/offices/{org.office_id}/m/hello_gateway/")
    assert page.status_code == 200 and "Passerelle Hello — Auto-école Hello" in page.text
    assert (await client.get(f"/offices/{second}/m/hello_gateway/")).status_code == 404


@pytest.mark.nodb
def test_example_module_own_tests_pass_with_the_plugin_fixtures(hello_site):
    env = {**os.environ, "PYTHONPATH": str(hello_site), "SOCLE_TEST_DB": "sqlite"}
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
                            cwd=EXAMPLE, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "10 passed" in result.stdout
