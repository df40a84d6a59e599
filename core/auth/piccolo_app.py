from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.auth.tables import (
    ApiToken,
    AuditEntry,
    LoginAttempt,
    LoginSession,
    PasswordResetRequest,
    PasswordResetToken,
)

APP_CONFIG = AppConfig(
    app_name="core_auth",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[ApiToken, PasswordResetToken, LoginAttempt, AuditEntry, LoginSession, PasswordResetRequest],
    migration_dependencies=["core.tenancy.piccolo_app"],
)
