from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.operators.tables import (
    BillingRun,
    CatalogueRule,
    CreditNote,
    DirectActivation,
    Invoice,
    InvoiceCounter,
    InvoiceLine,
    ModuleRequest,
    Operator,
    OperatorLoginFailure,
    OperatorRecoveryCode,
    OperatorSession,
    OperatorToken,
    OrderState,
    OrganisationProfile,
    PriceOverride,
    Suspension,
    ViewConsent,
    ViewSession,
)

APP_CONFIG = AppConfig(
    app_name="core_operators",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[Operator, OperatorRecoveryCode, OperatorSession, DirectActivation, CatalogueRule, PriceOverride,
                   ModuleRequest, InvoiceCounter, Invoice, InvoiceLine, CreditNote,
                   Suspension, OperatorToken, OrderState, BillingRun, OrganisationProfile,
                   OperatorLoginFailure, ViewConsent, ViewSession],
    migration_dependencies=["core.tenancy.piccolo_app", "core.commerce.piccolo_app", "core.documents.piccolo_app",
                            "core.calendar.piccolo_app", "core.jobs.piccolo_app"],
)
