from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.commerce.tables import Order, OrderCounter, OrderLine

APP_CONFIG = AppConfig(
    app_name="core_commerce",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[OrderCounter, Order, OrderLine],
)
