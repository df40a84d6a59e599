from pathlib import Path

from piccolo.conf.apps import AppConfig

from plugins.certification_robert.tables import TABLES

APP_CONFIG = AppConfig(
    app_name="certification_robert",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=list(TABLES),
    migration_dependencies=[],
)
