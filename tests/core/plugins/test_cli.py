"""`socle plugins list` shows every plugin with its status and error; `socle plugins run` runs a plugin's
command (the register_cli_commands hook)."""

import pytest

from core import cli
from tests.core.plugins.sources import broken_plugin, full_plugin

pytestmark = pytest.mark.nodb


def test_plugins_list_and_run(plugin_folder, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SOCLE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("SOCLE_STRICT_PLUGINS", raising=False)
    full_plugin(plugin_folder, "alpha")
    broken_plugin(plugin_folder, "beta", "raise RuntimeError('cassé au chargement')\n")
    cli.main(["plugins", "list"])
    out = capsys.readouterr().out
    alpha = next(line for line in out.splitlines() if line.startswith("alpha "))
    assert "1.0.0" in alpha and " ok " in alpha and "register_cli_commands" in alpha
    beta = next(line for line in out.splitlines() if line.startswith("beta "))
    assert "failed" in beta and "RuntimeError: cassé au chargement" in beta
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["plugins", "run", "alpha", "hello", "le", "monde"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == "hello le monde"
    with pytest.raises(SystemExit, match="Commande inconnue : alpha nope"):
        cli.main(["plugins", "run", "alpha", "nope"])
