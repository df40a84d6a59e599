from pathlib import Path

from piccolo.conf.apps import AppConfig

from socle_hello_gateway.tables import Greeting

APP_CONFIG = AppConfig(
    app_name="hello_gateway",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[Greeting],
)
