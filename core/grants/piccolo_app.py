from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.grants.tables import PermissionGrant

APP_CONFIG = AppConfig(
    app_name="core_grants",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[PermissionGrant],
    migration_dependencies=["core.tenancy.piccolo_app", "core.auth.piccolo_app"],
)
