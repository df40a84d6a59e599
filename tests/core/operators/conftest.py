import pytest


@pytest.fixture
def app_factory(with_test_plugins):
    """The console tests run with the test plugins alpha, beta and gamma installed."""
    return with_test_plugins
