"""Fixtures for plugin authors (and the core's plugin tests).

In your plugin's `tests/conftest.py`:

    pytest_plugins = ["core.testing.fixtures", "core.testing.plugin_fixtures"]

    @pytest.fixture
    def socle_plugin() -> str:
        return "hello_gateway"          # the app loads only this plugin, strictly

Then `client` talks to an app with only your plugin, on a migrated temporary database (SQLite, or
PostgreSQL with `--db postgres`) that includes your plugin's Piccolo app, and `office_with_plugin` is an
organisation whose office has your module active (its owner's email/password are on the fixture).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.testing.distributions import forget_modules
from core.testing.fixtures import OrgFixture


@pytest.fixture
async def office_with_plugin(make_org: Any, socle_plugin: str | None) -> OrgFixture:
    """An organisation with one office where `socle_plugin` is active (activated directly, no order)."""
    from core.modules import activation

    assert socle_plugin, "override the `socle_plugin` fixture with your plugin id"
    org: OrgFixture = await make_org("Bureau avec module")
    await activation.set_active(org.organisation_id, org.office_id, socle_plugin, True)
    return org


@pytest.fixture
def plugin_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder on sys.path for `core.testing.distributions.write_plugin` (cleaned up after the test)."""
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    yield folder
    forget_modules()
