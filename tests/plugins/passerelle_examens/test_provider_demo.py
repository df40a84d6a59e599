"""A third party adds an exam provider: examples/socle-exam-provider-demo (its own pyproject and entry point)
is pip-installed into a --target folder, loads next to passerelle_examens (it implements the hook that module
publishes), and, once the owner activates it in an office, shows up there as a third provider — in the API
listing and in the « Fournisseur » list of « Centres d'examen » — and a centre search goes through it. In an
office where it is not active it is not offered."""

import subprocess
import sys
from pathlib import Path

import pytest

from core.testing.fixtures import login
from tests.core.modules.helpers import add_office, order_modules

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "socle-exam-provider-demo"


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("exam-demo-site")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-build-isolation", "--no-deps",
                    "--no-index", "--target", str(target), str(EXAMPLE)], check=True,
                   cwd=tmp_path_factory.mktemp("build"))
    assert list(target.glob("socle_exam_provider_demo-0.1.0.dist-info/entry_points.txt"))
    return target


@pytest.fixture
def app_factory(settings, demo_site, monkeypatch):
    from core.web import create_app

    monkeypatch.syspath_prepend(str(demo_site))
    yield lambda: create_app(settings, plugins=["passerelle_examens", "exam_provider_demo"])
    for name in [n for n in sys.modules if n.startswith("socle_exam_provider_demo")]:
        del sys.modules[name]


async def test_the_installed_demo_is_a_third_provider_where_active(client, app, school) -> None:
    record = app.state.plugins.record("exam_provider_demo")
    assert record.healthy and "register_exam_providers" in record.hooks, record.error
    s = await school("Auto-école des Tilleuls")
    listed = (await client.get(s.api("/providers"), headers=s.headers)).json()
    assert [p["key"] for p in listed] == ["rdvpermis", "printel"]  # not active here yet
    await order_modules(client, s.headers, (s.org.office_id, "exam_provider_demo", "activate"))
    listed = (await client.get(s.api("/providers"), headers=s.headers)).json()
    assert [(p["key"], p["module"]) for p in listed] == [
        ("rdvpermis", "passerelle_examens"), ("printel", "passerelle_examens"),
        ("demo.centres", "exam_provider_demo")]
    found = await client.get(s.api("/centres?departement=2A&type=moto&fournisseur=demo.centres"), headers=s.headers)
    assert found.status_code == 200, found.text
    assert [c["nom"] for c in found.json()] == ["Centre démo 2A n° 1", "Centre démo 2A n° 2"]
    await login(client, s.org.owner_email)
    page = await client.get(s.page("/centres?departement=2A&type=moto&fournisseur=demo.centres"))
    assert page.status_code == 200 and "Centre démo 2A n° 1" in page.text
    assert '<option value="demo.centres" selected>Centres de démonstration</option>' in page.text
    listing = await client.get(s.page("/fournisseurs"))
    assert listing.status_code == 200 and listing.text.count("<li data-provider=") == 3
    assert "<strong>Centres de démonstration</strong> : recherche des centres <em>(module exam_provider_demo)</em>" \
        in listing.text
    annexe = await add_office(client, s.headers, "Annexe")  # passerelle_examens active there, the demo not
    await order_modules(client, s.headers, (annexe, "passerelle_examens", "activate"))
    there = f"/api/v1/offices/{annexe}/m/passerelle_examens"
    assert [p["key"] for p in (await client.get(there + "/providers", headers=s.headers)).json()] == [
        "rdvpermis", "printel"]
    refused = await client.get(there + "/centres?departement=2A&type=moto&fournisseur=demo.centres",
                               headers=s.headers)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "fournisseur"
