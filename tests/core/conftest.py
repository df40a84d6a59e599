import pytest

from tests.core.plugins.sources import full_plugin


@pytest.fixture
def test_plugins(plugin_folder):
    """Three installed test plugins: alpha (71 € HT), beta (100 € HT), gamma (50 € HT, needs alpha)."""
    full_plugin(plugin_folder, "alpha", "71.00")
    full_plugin(plugin_folder, "beta", "100.00")
    full_plugin(plugin_folder, "gamma", "50.00", depends=("alpha",))
    return ["alpha", "beta", "gamma"]


@pytest.fixture
def with_test_plugins(settings, test_plugins):
    from core.web import create_app

    return lambda: create_app(settings)
