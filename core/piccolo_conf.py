"""Piccolo's configuration module (PICCOLO_CONF=core.piccolo_conf).

Built from the environment for the `piccolo` CLI (`piccolo migrations new core_tenancy --auto`);
`core.db.bind()` and `core.db.migrate()` replace DB and APP_REGISTRY at run time, so the migration
runner always uses the same engine as the application.
"""

from piccolo.conf.apps import AppRegistry

from core import db
from core.config import Settings

DB = db.create_engine(Settings.from_env().database_url)
APP_REGISTRY = AppRegistry(apps=db.CORE_APPS)
