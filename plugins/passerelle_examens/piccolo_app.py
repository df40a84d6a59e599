from pathlib import Path

from piccolo.conf.apps import AppConfig

from plugins.passerelle_examens.tables import TABLES

APP_CONFIG = AppConfig(
    app_name="passerelle_examens",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=list(TABLES),
    migration_dependencies=[],
)
