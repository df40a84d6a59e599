from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.jobs.tables import OutboxMessage

APP_CONFIG = AppConfig(
    app_name="core_jobs",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[OutboxMessage],
)
