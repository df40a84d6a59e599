import pytest

from core.testing.fixtures import api_token
from tests.core.modules.helpers import add_office, order_modules
from tests.core.plugin_settings.plugin import reglages_plugin


@pytest.fixture
def app_factory(settings, plugin_folder):
    """The app with the test plugin `reglages` (settings Struct: greeting, max_per_day, sms_enabled, channel, tone)."""
    from core.web import create_app

    reglages_plugin(plugin_folder)
    return lambda: create_app(settings, plugins=["reglages"])


@pytest.fixture
async def office(client, make_org):
    """An organisation whose first office has `reglages` active and a second office where it is not:
    (org, owner API headers, second office id)."""
    org = await make_org("Mairie Réglée")
    headers = await api_token(client, org.owner_email)
    second = await add_office(client, headers, "Annexe")
    await order_modules(client, headers, (org.office_id, "reglages", "activate"))
    return org, headers, second
