"""The throwaway PostgreSQL of the tests finds Debian's server programs off PATH, newest version first."""

from pathlib import Path

import pytest

from core.testing import postgres

pytestmark = pytest.mark.nodb


def test_finds_initdb_where_debian_puts_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # initdb is not on PATH on a stock Debian
    directory = postgres.server_bin_dir()
    assert directory.parent.parent == Path("/usr/lib/postgresql") and (directory / "initdb").exists()
    assert postgres._find_bin("pg_dump") == str(directory / "pg_dump")


def test_newest_version_sorts_numerically():
    paths = [Path(f"/usr/lib/postgresql/{v}/bin/initdb") for v in ("9.6", "15", "13")]
    assert [p.parents[1].name for p in sorted(paths, key=postgres._version_key, reverse=True)] == ["15", "13", "9.6"]
