"""The public, versioned surface plugins import. Nothing else in `core` is a contract.

Stability: `PLUGIN_API_VERSION` follows semantic versioning. Within 1.x hooks only gain optional
arguments and names here are only added; a deprecation warns for one minor version before removal.
"""

from __future__ import annotations

from core.auth.guards import CurrentActor
from core.commerce.money import VAT_RATE, Amounts, format_eur, line_amounts, quantize, totals
from core.commerce.orders import OrderLineIn, OrderStatus, place_order
from core.db import write_transaction
from core.errors import Conflict, FieldError, Forbidden, NotAuthenticated, NotFound, SocleError, ValidationFailed
from core.notify import Attachment, emit_event, enqueue_email, enqueue_sms
from core.plugin_api import data
from core.plugin_api.data import MemberInfo, OrganisationInfo
from core.plugin_api.manifest import Billing, Manifest, Permission
from core.plugin_api.markers import PLUGIN_API_VERSION, PROJECT_NAME, hookimpl
from core.plugin_api.platform import Platform
from core.plugin_api.types import (
    CalendarSource,
    CliCommand,
    Event,
    JobSpec,
    ModuleActivated,
    ModuleDeactivated,
    OrderPlaced,
    Widget,
)
from core.tenancy.actor import Actor
from core.tenancy.roles import Role
from core.tenancy.scope import Scope
from core.tenancy.tables import Office, Organisation
from core.web.shell import MenuItem

__all__ = [
    "PLUGIN_API_VERSION",
    "PROJECT_NAME",
    "VAT_RATE",
    "Actor",
    "Amounts",
    "Attachment",
    "Billing",
    "CalendarSource",
    "CliCommand",
    "Conflict",
    "CurrentActor",
    "Event",
    "FieldError",
    "Forbidden",
    "JobSpec",
    "Manifest",
    "MemberInfo",
    "MenuItem",
    "ModuleActivated",
    "ModuleDeactivated",
    "NotAuthenticated",
    "NotFound",
    "Office",
    "OrderLineIn",
    "OrderPlaced",
    "OrderStatus",
    "Organisation",
    "OrganisationInfo",
    "Permission",
    "Platform",
    "Role",
    "Scope",
    "SocleError",
    "ValidationFailed",
    "Widget",
    "data",
    "emit_event",
    "enqueue_email",
    "enqueue_sms",
    "format_eur",
    "hookimpl",
    "line_amounts",
    "place_order",
    "quantize",
    "totals",
    "write_transaction",
]
