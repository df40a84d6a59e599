from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.calendar.tables import Booking, Calendar, Closure, OfficeHolidays, OpeningRule

APP_CONFIG = AppConfig(
    app_name="core_calendar",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[Calendar, OpeningRule, Closure, Booking, OfficeHolidays],
    migration_dependencies=["core.tenancy.piccolo_app"],
)
