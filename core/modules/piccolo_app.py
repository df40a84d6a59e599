from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.modules.tables import CartLine, ModuleActivation

APP_CONFIG = AppConfig(
    app_name="core_modules",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[ModuleActivation, CartLine],
)
