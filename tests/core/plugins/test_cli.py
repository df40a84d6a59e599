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


SIMULATING = '''
from core.plugin_api import CliCommand, Manifest, hookimpl

MANIFEST = Manifest(id="PLUGIN_ID", title="Module PLUGIN_ID", api=">=1.0,<2")


async def echo(args):
    print("simulateur", *args)
    return 3


@hookimpl
def register_cli_commands(platform):
    return [CliCommand("sim-echo", "un simulateur", echo), CliCommand("autre", "pas un simulateur", echo)]
'''


def test_socle_sim_runs_a_modules_sim_command(plugin_folder, tmp_path, monkeypatch, capsys):
    """`socle sim <name> …` is `socle plugins run <module> sim-<name> …` for whichever module ships it."""
    monkeypatch.setenv("SOCLE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("SOCLE_STRICT_PLUGINS", raising=False)
    broken_plugin(plugin_folder, "gamma", SIMULATING)
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["sim", "echo", "8765"])
    assert exit_info.value.code == 3 and capsys.readouterr().out.strip() == "simulateur 8765"
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["sim", "nope"])
    assert exit_info.value.code == 2
    assert "Simulateur inconnu : nope. Disponibles : " in capsys.readouterr().err
