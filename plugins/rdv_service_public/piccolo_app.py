from pathlib import Path

from piccolo.conf.apps import AppConfig

from plugins.rdv_service_public.tables import TABLES

APP_CONFIG = AppConfig(
    app_name="rdv_service_public",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=list(TABLES),
)
