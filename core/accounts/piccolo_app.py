from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.accounts.tables import AccountLink, AccountProfile

APP_CONFIG = AppConfig(
    app_name="core_accounts",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[AccountProfile, AccountLink],
    migration_dependencies=["core.tenancy.piccolo_app"],
)
