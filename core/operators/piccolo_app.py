from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.operators.tables import DirectActivation, Operator, OperatorRecoveryCode, OperatorSession

APP_CONFIG = AppConfig(
    app_name="core_operators",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[Operator, OperatorRecoveryCode, OperatorSession, DirectActivation],
    migration_dependencies=["core.tenancy.piccolo_app", "core.commerce.piccolo_app"],
)
