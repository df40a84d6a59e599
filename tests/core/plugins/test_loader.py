"""The loader: plugins load one at a time; a broken one is recorded with its error, the others load;
strict mode fails hard."""

from pathlib import Path

import pytest

from core.config import Settings
from core.plugins import PluginError, PluginManager, PluginStatus
from tests.core.plugins.sources import broken_plugin, full_plugin

pytestmark = pytest.mark.nodb

# plugins shipped in this repository (installed entry points) load next to the test plugins: ignore them
SHIPPED = {"rdv_service_public", "formation_cqc", "certification_robert", "passerelle_examens"}


def healthy_test_ids(manager: PluginManager) -> set[str]:
    return manager.healthy_ids() - SHIPPED

BAD_API = '''
from core.plugin_api import Manifest
MANIFEST = Manifest(id="PLUGIN_ID", title="Trop récent", api=">=2.0")
'''
IMPORT_ERROR = '''
import module_qui_n_existe_pas
'''
UNKNOWN_HOOK = '''
from core.plugin_api import Manifest, hookimpl
MANIFEST = Manifest(id="PLUGIN_ID", title="Hook inconnu")

@hookimpl
def register_bananas(platform):
    return []

@hookimpl
def register_route(platform):
    return []
'''
BAD_ARGUMENT = '''
from core.plugin_api import Manifest, hookimpl
MANIFEST = Manifest(id="PLUGIN_ID", title="Argument inconnu")

@hookimpl
def register_routes(platform, banana):
    return []
'''
STOLEN_PERMISSION = '''
from core.plugin_api import Manifest, Permission, hookimpl
MANIFEST = Manifest(id="PLUGIN_ID", title="Voleur", permissions=(Permission("alpha.manage", "Gérer"),))
'''
UNDECLARED_DOCUMENTS_PERMISSION = '''
from core.plugin_api import Manifest, Permission
MANIFEST = Manifest(id="PLUGIN_ID", title="Documents", permissions=(Permission("PLUGIN_ID.x", "X"),),
                    documents_permission="PLUGIN_ID.lire")
'''
NO_MANIFEST = '''
X = 1
'''
WRONG_ID = '''
from core.plugin_api import Manifest
MANIFEST = Manifest(id="autre_chose", title="Mauvais id")
'''
MISSING_DEPENDENCY = '''
from core.plugin_api import Manifest
MANIFEST = Manifest(id="PLUGIN_ID", title="Dépendant", depends=("inexistant",))
'''


def settings(tmp_path: Path, strict: bool = False) -> Settings:
    return Settings(data_dir=tmp_path, database_url="sqlite://", secret_key="x" * 32, strict_plugins=strict)


@pytest.mark.parametrize(("source", "status", "error"), [
    (BAD_API, PluginStatus.incompatible, "demande l'API >=2.0, la plateforme fournit 1.4"),
    (IMPORT_ERROR, PluginStatus.failed, "ModuleNotFoundError: No module named 'module_qui_n_existe_pas'"),
    (UNKNOWN_HOOK, PluginStatus.failed, "hook(s) inconnu(s) : register_bananas, "
                                        "register_route (vouliez-vous dire register_routes ?)"),
    (BAD_ARGUMENT, PluginStatus.failed, "register_routes déclare l'argument « banana » que le hook ne fournit "
                                        "pas (arguments possibles : platform)"),
    (STOLEN_PERMISSION, PluginStatus.failed, "permission invalide"),
    (UNDECLARED_DOCUMENTS_PERMISSION, PluginStatus.failed,
     "MANIFEST.documents_permission « beta.lire » n'est pas une permission déclarée par ce module"),
    (NO_MANIFEST, PluginStatus.failed, "MANIFEST absent"),
    (WRONG_ID, PluginStatus.failed, "MANIFEST.id « autre_chose » diffère"),
    (MISSING_DEPENDENCY, PluginStatus.failed, "dépendance(s) absente(s) ou en échec : inexistant"),
])
def test_a_broken_plugin_is_recorded_and_the_others_load(plugin_folder, tmp_path, source, status, error):
    full_plugin(plugin_folder, "alpha")
    broken_plugin(plugin_folder, "beta", source)
    full_plugin(plugin_folder, "gamma")
    manager = PluginManager(settings(tmp_path)).load()
    records = {r.id: r for r in manager.records}
    assert records["beta"].status is status
    assert error in records["beta"].error
    assert records["alpha"].healthy and records["gamma"].healthy
    assert healthy_test_ids(manager) == {"alpha", "gamma"}
    assert not manager.pm.is_registered(records["beta"].module) if records["beta"].module else True
    assert "register_routes" in records["alpha"].hooks


def test_strict_mode_fails_hard_naming_the_plugin(plugin_folder, tmp_path):
    full_plugin(plugin_folder, "alpha")
    broken_plugin(plugin_folder, "beta", BAD_API)
    with pytest.raises(PluginError, match="plugin beta: demande l'API"):
        PluginManager(settings(tmp_path, strict=True)).load()


def test_a_permission_defined_twice_fails_the_second_plugin(plugin_folder, tmp_path):
    full_plugin(plugin_folder, "alpha")
    broken_plugin(plugin_folder, "beta", '''
from core.plugin_api import Manifest, Permission, hookimpl
MANIFEST = Manifest(id="PLUGIN_ID", title="B", permissions=(Permission("beta.x", "X"),))

@hookimpl
def register_permissions(platform):
    return [Permission("beta.x", "encore X")]
''')
    manager = PluginManager(settings(tmp_path)).load()
    beta = manager.record("beta")
    assert beta is not None and not beta.healthy
    assert "permission « beta.x » déjà définie" in beta.error
    assert {p for p in manager.permissions if not p.startswith(tuple(SHIPPED))} == {"alpha.manage", "alpha.view"}


def test_only_loads_the_requested_plugins_and_reports_missing_ones(plugin_folder, tmp_path):
    full_plugin(plugin_folder, "alpha")
    full_plugin(plugin_folder, "gamma")
    manager = PluginManager(settings(tmp_path)).load(["alpha", "absent"])
    assert manager.healthy_ids() == {"alpha"}
    absent = manager.record("absent")
    assert absent is not None and absent.status is PluginStatus.failed


def test_version_comes_from_the_distribution(plugin_folder, tmp_path):
    full_plugin(plugin_folder, "alpha")
    manager = PluginManager(settings(tmp_path)).load()
    alpha = manager.record("alpha")
    assert alpha is not None and alpha.version == "1.0.0" and alpha.distribution == "socle-test-alpha"


def test_a_second_distribution_with_the_same_id_fails(plugin_folder, tmp_path):
    from core.testing.distributions import write_plugin

    full_plugin(plugin_folder, "alpha")
    write_plugin(plugin_folder, "alpha", "from socle_test_alpha.hooks import *\n", module="socle_test_copy",
                 distribution="socle-test-copy")
    manager = PluginManager(settings(tmp_path)).load()
    failed = [r for r in manager.records if not r.healthy]
    assert healthy_test_ids(manager) == {"alpha"}
    assert len(failed) == 1 and "identifiant « alpha » déjà utilisé" in failed[0].error


DOCUMENTS_BY_GRANT = '''
from core.plugin_api import Manifest, Permission, Role
MANIFEST = Manifest(id="PLUGIN_ID", title="Documents", documents_permission="PLUGIN_ID.dossiers",
                    permissions=(Permission("PLUGIN_ID.read", "Lire", Role.basic),
                                 Permission("PLUGIN_ID.dossiers", "Dossiers", Role.basic, granted=True)))
'''


def test_the_documents_permission_is_the_one_the_manifest_names_else_read(plugin_folder, tmp_path):
    full_plugin(plugin_folder, "alpha")
    broken_plugin(plugin_folder, "beta", DOCUMENTS_BY_GRANT)
    manager = PluginManager(settings(tmp_path)).load()
    assert manager.documents_permission("beta") == manager.permissions["beta.dossiers"]
    assert manager.documents_permission("beta").granted
    assert manager.documents_permission("alpha") is manager.permissions.get("alpha.read")
    assert manager.documents_permission("absent") is None
