import pytest


@pytest.fixture
def app_factory(with_test_plugins):
    """« Mon espace » tests run with the test plugins alpha, beta and gamma (every hook implemented)."""
    return with_test_plugins
