import pytest


@pytest.fixture
def app_factory(with_test_plugins):
    """Documents are stored by the test plugin alpha (its permissions: alpha.manage for admins)."""
    return with_test_plugins
