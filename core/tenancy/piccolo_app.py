from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.tenancy.tables import Member, MemberInvitation, MemberOffice, Office, Organisation, User

APP_CONFIG = AppConfig(
    app_name="core_tenancy",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[Organisation, Office, User, Member, MemberOffice, MemberInvitation],
)
