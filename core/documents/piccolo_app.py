from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.documents.tables import Document

APP_CONFIG = AppConfig(
    app_name="core_documents",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[Document],
    migration_dependencies=["core.tenancy.piccolo_app"],
)
