from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.operators.tables import (
    CatalogueRule,
    DirectActivation,
    Invoice,
    InvoiceCounter,
    InvoiceLine,
    ModuleRequest,
    Operator,
    OperatorRecoveryCode,
    OperatorSession,
    OperatorToken,
    PriceOverride,
    Suspension,
)

APP_CONFIG = AppConfig(
    app_name="core_operators",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[Operator, OperatorRecoveryCode, OperatorSession, DirectActivation, CatalogueRule, PriceOverride,
                   ModuleRequest, InvoiceCounter, Invoice, InvoiceLine,
                   Suspension, OperatorToken],
    migration_dependencies=["core.tenancy.piccolo_app", "core.commerce.piccolo_app"],
)
