"""Hooks a module publishes (`MANIFEST.hookspecs`, API 1.3): registered with pluggy before any plugin, so an
implementer loaded before its publisher works; the publisher calls them through `platform.call_hook`; a name
the core or another module has fails the second publisher; an implementer without its publisher fails with a
French reason; a module cannot call a hook it does not publish."""

from pathlib import Path

import pytest

from core.config import Settings
from core.plugins import PluginManager
from core.testing.distributions import write_plugin
from tests.core.plugins.sources import IMPLEMENTER, PUBLISHER

pytestmark = pytest.mark.nodb


def manager(tmp_path: Path) -> PluginManager:
    return PluginManager(Settings(data_dir=tmp_path, database_url="sqlite://", secret_key="x" * 32)).load()


def publisher(folder: Path, plugin_id: str = "zeta", hook: str = "register_greetings") -> None:
    write_plugin(folder, plugin_id, PUBLISHER.replace("PLUGIN_ID", plugin_id).replace("HOOK", hook), files={
        "specs.py": f'''
from core.plugin_api import Platform, hookspec


@hookspec
def {hook}(platform: Platform, office_name: str) -> list[str]:
    """Greetings for an office (published by {plugin_id})."""
'''})


async def test_an_implementer_loaded_before_its_publisher_is_called_by_it(plugin_folder, tmp_path):
    write_plugin(plugin_folder, "alpha", IMPLEMENTER.replace("PLUGIN_ID", "alpha"))  # loads first (a < z)
    publisher(plugin_folder)
    m = manager(tmp_path)
    assert {"alpha", "zeta"} <= m.healthy_ids(), [(r.id, r.error) for r in m.records]
    assert m.published_by("register_greetings") == "zeta"
    assert "register_greetings" in m.record("alpha").hooks
    platform = m.platform("zeta")
    assert platform.call_hook_sync("register_greetings", office_name="Tilleuls") == [
        ("alpha", ["Bonjour Tilleuls de alpha"])]
    assert await platform.call_hook("register_greetings", office_name="Annexe") == [
        ("alpha", ["Bonjour Annexe de alpha"])]
    with pytest.raises(ValueError, match="not published by 'alpha'"):
        m.platform("alpha").call_hook_sync("register_greetings", office_name="x")
    with pytest.raises(ValueError, match="not published"):
        await platform.call_hook("register_routes")


def test_an_implementer_without_its_publisher_fails_with_the_reason(plugin_folder, tmp_path):
    write_plugin(plugin_folder, "alpha", IMPLEMENTER.replace("PLUGIN_ID", "alpha"))
    alpha = manager(tmp_path).record("alpha")
    assert alpha is not None and not alpha.healthy
    assert "hook(s) inconnu(s) : register_greetings" in alpha.error and "module soit installé" in alpha.error


def test_a_published_name_already_taken_fails_the_publisher(plugin_folder, tmp_path):
    publisher(plugin_folder, "zeta")
    publisher(plugin_folder, "zulu")  # same hook name, published second
    publisher(plugin_folder, "theta", hook="register_routes")  # a core hook
    m = manager(tmp_path)
    assert m.record("zeta").healthy
    assert "le hook publié « register_greetings » existe déjà (zeta)" in m.record("zulu").error
    assert "« register_routes » existe déjà (la plateforme)" in m.record("theta").error
    assert m.published_by("register_greetings") == "zeta" and m.published_by("register_routes") is None


def test_a_wrong_argument_in_an_implementation_of_a_published_hook_fails_it(plugin_folder, tmp_path):
    publisher(plugin_folder)
    write_plugin(plugin_folder, "alpha", IMPLEMENTER.replace("PLUGIN_ID", "alpha").replace(
        "office_name)", "office_name, banana)"))
    alpha = manager(tmp_path).record("alpha")
    assert alpha is not None and "hooks invalides" in alpha.error and "banana" in alpha.error


def test_an_implementer_loaded_alone_still_knows_the_published_hook(plugin_folder, tmp_path):
    write_plugin(plugin_folder, "alpha", IMPLEMENTER.replace("PLUGIN_ID", "alpha"))
    publisher(plugin_folder)
    m = PluginManager(Settings(data_dir=tmp_path, database_url="sqlite://", secret_key="x" * 32)).load(["alpha"])
    assert m.healthy_ids() == {"alpha"} and m.published_by("register_greetings") == "zeta"
