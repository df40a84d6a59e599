"""Broken plugins (import error, bad api range, raising hooks) leave the platform and the other modules
working; the owner page "Modules installés" shows each error."""

import dataclasses

import pytest

from core.testing.fixtures import api_token, login
from tests.core.modules.helpers import order_modules
from tests.core.plugins.sources import broken_plugin

RAISING = '''
from core.plugin_api import Manifest, MenuItem, hookimpl

MANIFEST = Manifest(id="PLUGIN_ID", title="Module qui plante")


@hookimpl
async def register_menu_items(platform, office):
    raise RuntimeError("menu en panne")


@hookimpl
def register_dashboard_widgets(platform):
    raise ValueError("widget en panne")


@hookimpl
def on_module_activated(platform, office_id):
    raise RuntimeError("activation en panne")
'''


@pytest.fixture
def app_factory(settings, test_plugins, plugin_folder):
    from core.web import create_app

    broken_plugin(plugin_folder, "importe_mal", "import module_absent_xyz\n")
    broken_plugin(plugin_folder, "trop_recent", 'from core.plugin_api import Manifest\n'
                                                'MANIFEST = Manifest(id="trop_recent", title="T", api=">=3")\n')
    broken_plugin(plugin_folder, "plante", RAISING)
    return lambda: create_app(dataclasses.replace(settings, strict_plugins=False))


async def test_broken_plugins_are_listed_and_the_others_work(client, make_org):
    org = await make_org()
    headers = await api_token(client, org.owner_email)
    await order_modules(client, headers, (org.office_id, "alpha", "activate"), (org.office_id, "plante", "activate"))
    modules = {m["id"]: m for m in (await client.get("/api/v1/modules", headers=headers)).json()}
    assert modules["importe_mal"]["status"] == "failed" and "module_absent_xyz" in modules["importe_mal"]["error"]
    assert modules["trop_recent"]["status"] == "incompatible"
    assert modules["alpha"]["status"] == "ok" and modules["plante"]["status"] == "ok"
    refused = await client.post("/api/v1/cart/lines", headers=headers,
                                json={"office_id": org.office_id, "module": "importe_mal", "action": "activate"})
    assert refused.status_code == 422 and "indisponible" in refused.json()["detail"]

    await login(client, org.owner_email)
    dashboard = await client.get("/dashboard")
    assert dashboard.status_code == 200
    assert "Menu alpha" in dashboard.text and "Widget pour" in dashboard.text
    assert (await client.get(f"/offices/{org.office_id}/m/alpha/")).status_code == 200

    installed = await client.get("/config/modules/installed")
    assert installed.status_code == 200
    text = installed.text
    assert "importe_mal" in text and "ModuleNotFoundError: No module named &#39;module_absent_xyz&#39;" in text
    assert "demande l&#39;API &gt;=3, la plateforme fournit 1.4" in text
    assert "register_menu_items : RuntimeError: menu en panne" in text
    assert "register_dashboard_widgets : ValueError: widget en panne" in text
    assert "on_module_activated : RuntimeError: activation en panne" in text
    # alpha's hooks, sorted
    assert "register_permissions, register_providers, register_public_routes, register_routes" in text
