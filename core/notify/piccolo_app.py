from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.notify.tables import WebhookEndpoint

APP_CONFIG = AppConfig(
    app_name="core_notify",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[WebhookEndpoint],
)
