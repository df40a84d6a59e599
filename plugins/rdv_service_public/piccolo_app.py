from pathlib import Path

from piccolo.conf.apps import AppConfig

from plugins.rdv_service_public.tables import TABLES

APP_CONFIG = AppConfig(
    app_name="rdv_service_public",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=list(TABLES),
    # the migration of 2026-12-01 marks the module's rows of core_calendar_rule/closure (their source_plugin
    # column comes from that app's migration of the same day): the core calendar's migrations run first
    migration_dependencies=["core.calendar.piccolo_app"],
)
