import pytest

pytest_plugins = ["core.testing.fixtures", "core.testing.plugin_fixtures"]


@pytest.fixture
def socle_plugin() -> str:
    return "hello_gateway"
