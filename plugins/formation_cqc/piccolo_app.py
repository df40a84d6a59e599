from pathlib import Path

from piccolo.conf.apps import AppConfig

from plugins.formation_cqc.tables import TABLES

APP_CONFIG = AppConfig(
    app_name="formation_cqc",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=list(TABLES),
)
