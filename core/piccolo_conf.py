"""Piccolo's configuration module (PICCOLO_CONF=core.piccolo_conf).

Built from the environment for the `piccolo` CLI (`piccolo migrations new core_tenancy --auto`, and
`piccolo migrations new <plugin id> --auto` for an installed plugin); `core.db.bind()` and
`core.db.migrate()` replace DB and APP_REGISTRY at run time, so the migration runner always uses the
same engine as the application.
"""

import dataclasses

from piccolo.conf.apps import AppRegistry

from core import db
from core.config import Settings


def _plugin_apps(settings: Settings) -> list[str]:
    from core.plugins import PluginManager

    return PluginManager(dataclasses.replace(settings, strict_plugins=False)).load().app_modules()


_settings = Settings.from_env()
DB = db.create_engine(_settings.database_url)
APP_REGISTRY = AppRegistry(apps=[*db.CORE_APPS, *_plugin_apps(_settings)])
