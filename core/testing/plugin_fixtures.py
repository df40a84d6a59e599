"""Fixtures for plugin authors (and the core's plugin tests).

In your plugin's `tests/conftest.py`:

    pytest_plugins = ["core.testing.fixtures", "core.testing.plugin_fixtures"]

    @pytest.fixture
    def socle_plugin() -> str:
        return "hello_gateway"          # the app loads only this plugin, strictly

Then `client` talks to an app with only your plugin, on a migrated temporary database (SQLite, or
PostgreSQL with `--db postgres`) that includes your plugin's Piccolo app, and `office_with_plugin` is an
organisation whose office has your module active (its owner's email/password are on the fixture).
`activate_plugin(org)` switches it on in another organisation's office the same way.

Both activate directly, without an order: `on_module_activated` is not called (place an order through
`/api/v1/cart` to test that hook).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.testing.distributions import forget_modules
from core.testing.fixtures import OrgFixture


@pytest.fixture
def activate_plugin(app: Any, socle_plugin: str | None) -> Any:
    """`await activate_plugin(org, office_id=None)`: `socle_plugin` active in that office (default: the
    organisation's first office), directly, without an order (so `on_module_activated` is not called)."""
    from core.modules import activation

    async def activate(org: OrgFixture, office_id: int | None = None) -> OrgFixture:
        assert socle_plugin, "override the `socle_plugin` fixture with your plugin id"
        await activation.set_active(org.organisation_id, office_id or org.office_id, socle_plugin, True)
        return org

    return activate


@pytest.fixture
async def office_with_plugin(make_org: Any, activate_plugin: Any) -> OrgFixture:
    """An organisation (« Bureau avec module ») with one office where `socle_plugin` is active (activated
    directly, without an order: `on_module_activated` is not called). Attributes: `organisation_id`,
    `office_id`, `owner_email`, `owner_user_id`, `password`."""
    org: OrgFixture = await make_org("Bureau avec module")
    return await activate_plugin(org)  # type: ignore[no-any-return]


@pytest.fixture
def plugin_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder on sys.path for `core.testing.distributions.write_plugin` (cleaned up after the test)."""
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    yield folder
    forget_modules()
