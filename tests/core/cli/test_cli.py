"""The `socle` command: migrate, demo (twice), create-org, on a fresh SQLite data dir."""

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.nodb


def socle(tmp_path, *args):
    env = {**os.environ, "SOCLE_DATA_DIR": str(tmp_path), "SOCLE_DATABASE_URL": f"sqlite:///{tmp_path}/cli.sqlite"}
    return subprocess.run([sys.executable, "-m", "core.cli", *args], env=env, capture_output=True, text=True,
                          timeout=60)


def test_migrate_demo_and_create_org(tmp_path):
    assert socle(tmp_path, "migrate").returncode == 0
    demo = socle(tmp_path, "demo", "--if-empty")
    assert demo.returncode == 0, demo.stderr
    assert "gerant@tilleuls.example" in demo.stdout and "socle-demo-2026" in demo.stdout
    again = socle(tmp_path, "demo", "--if-empty")
    assert "déjà des données" in again.stdout and "agent@tilleuls.example" in again.stdout
    org = socle(tmp_path, "create-org", "Mairie de Saint-Vallier", "maire@saint-vallier.example",
                "--owner-password", "motdepasse-maire")
    assert org.returncode == 0 and "mairie-de-saint-vallier" in org.stdout
    bad = socle(tmp_path, "create-user", "pas-un-email", "court")
    assert bad.returncode == 2
    assert "Adresse e-mail invalide" in bad.stderr
