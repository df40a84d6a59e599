"""The public, versioned surface plugins import. Nothing else in `core` is a contract.

Stability: `PLUGIN_API_VERSION` follows semantic versioning. Within 1.x hooks only gain optional
arguments and names here are only added; a deprecation warns for one minor version before removal.
"""

from __future__ import annotations

from core import calendar, documents
from core.accounts.account import Account
from core.auth.guards import CurrentActor
from core.calendar import (
    BookingIn,
    BookingOut,
    CalendarIn,
    CalendarOut,
    ClosureIn,
    ClosureOut,
    HistoryEntry,
    MoveIn,
    OutsideHours,
    Recurrence,
    RecurrenceError,
    RuleIn,
    RuleOut,
    Slot,
    SlotTaken,
    add_closure,
    add_opening_rule,
    book,
    bookings_between,
    cancel,
    create_calendar,
    delete_closure,
    delete_rule,
    first_free_slot,
    french_holidays,
    get_calendar,
    holidays_between,
    list_calendars,
    list_closures,
    list_rules,
    move,
    parse_byday,
    rotate_ics_token,
    search_slots,
    set_rule_exception,
)
from core.commerce.money import VAT_RATE, Amounts, format_eur, line_amounts, quantize, totals
from core.commerce.orders import OrderLineIn, OrderStatus, place_order
from core.db import write_transaction
from core.documents import DocumentInfo, render_pdf
from core.errors import Conflict, FieldError, Forbidden, NotAuthenticated, NotFound, SocleError, ValidationFailed
from core.notify import Attachment, emit_event, enqueue_email, enqueue_sms
from core.plugin_api import data
from core.plugin_api.data import MemberInfo, OrganisationInfo
from core.plugin_api.manifest import Billing, Manifest, Permission
from core.plugin_api.markers import PLUGIN_API_VERSION, PROJECT_NAME, hookimpl
from core.plugin_api.platform import Platform
from core.plugin_api.types import (
    AccountSection,
    BookingCancelled,
    BookingCreated,
    BookingMoved,
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
    "Account",
    "AccountSection",
    "Actor",
    "Amounts",
    "Attachment",
    "Billing",
    "BookingCancelled",
    "BookingCreated",
    "BookingIn",
    "BookingMoved",
    "BookingOut",
    "CalendarIn",
    "CalendarOut",
    "CalendarSource",
    "CliCommand",
    "ClosureIn",
    "ClosureOut",
    "Conflict",
    "CurrentActor",
    "DocumentInfo",
    "Event",
    "FieldError",
    "Forbidden",
    "HistoryEntry",
    "JobSpec",
    "Manifest",
    "MemberInfo",
    "MenuItem",
    "ModuleActivated",
    "ModuleDeactivated",
    "MoveIn",
    "NotAuthenticated",
    "NotFound",
    "Office",
    "OrderLineIn",
    "OrderPlaced",
    "OrderStatus",
    "Organisation",
    "OrganisationInfo",
    "OutsideHours",
    "Permission",
    "Platform",
    "Recurrence",
    "RecurrenceError",
    "Role",
    "RuleIn",
    "RuleOut",
    "Scope",
    "Slot",
    "SlotTaken",
    "SocleError",
    "ValidationFailed",
    "Widget",
    "add_closure",
    "add_opening_rule",
    "book",
    "bookings_between",
    "calendar",
    "cancel",
    "create_calendar",
    "data",
    "delete_closure",
    "delete_rule",
    "documents",
    "emit_event",
    "enqueue_email",
    "enqueue_sms",
    "first_free_slot",
    "format_eur",
    "french_holidays",
    "get_calendar",
    "holidays_between",
    "hookimpl",
    "line_amounts",
    "list_calendars",
    "list_closures",
    "list_rules",
    "move",
    "parse_byday",
    "place_order",
    "quantize",
    "render_pdf",
    "rotate_ics_token",
    "search_slots",
    "set_rule_exception",
    "totals",
    "write_transaction",
]
