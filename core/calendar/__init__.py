"""The calendar primitive: calendars, opening rules, closures, bookings and the free-slot search.

This is the surface modules use (re-exported by the plugin API). Services take the organisation id;
times are timezone-aware datetimes; durations, buffers, notice and horizon are minutes.
See docs/calendar.md.
"""

from core.calendar.booking import OutsideHours, SlotTaken, book, bookings_between, cancel, move, relabel
from core.calendar.first_booking import book_first
from core.calendar.holiday_policy import office_closed_holidays, office_holidays, set_office_holidays
from core.calendar.holidays import french_holidays, holidays_between
from core.calendar.recurrence import Recurrence, RecurrenceError, parse_byday
from core.calendar.schemas import (
    BookingIn,
    BookingOut,
    CalendarIn,
    CalendarOut,
    ClosureIn,
    ClosureOut,
    HistoryEntry,
    MoveIn,
    OfficeHolidaysIn,
    OfficeHolidaysOut,
    RuleIn,
    RuleOut,
    Slot,
    SlotRuns,
)
from core.calendar.search import first_free_slot, search_slot_runs, search_slots
from core.calendar.services import (
    add_closure,
    add_opening_rule,
    create_calendar,
    delete_closure,
    delete_rule,
    get_calendar,
    list_calendars,
    list_closures,
    list_rules,
    rotate_ics_token,
    set_rule_exception,
)

__all__ = [
    "BookingIn",
    "BookingOut",
    "CalendarIn",
    "CalendarOut",
    "ClosureIn",
    "ClosureOut",
    "HistoryEntry",
    "MoveIn",
    "OfficeHolidaysIn",
    "OfficeHolidaysOut",
    "OutsideHours",
    "Recurrence",
    "RecurrenceError",
    "RuleIn",
    "RuleOut",
    "Slot",
    "SlotRuns",
    "SlotTaken",
    "add_closure",
    "add_opening_rule",
    "book",
    "book_first",
    "bookings_between",
    "cancel",
    "create_calendar",
    "delete_closure",
    "delete_rule",
    "first_free_slot",
    "french_holidays",
    "get_calendar",
    "holidays_between",
    "list_calendars",
    "list_closures",
    "list_rules",
    "move",
    "office_closed_holidays",
    "office_holidays",
    "parse_byday",
    "relabel",
    "rotate_ics_token",
    "search_slot_runs",
    "search_slots",
    "set_office_holidays",
    "set_rule_exception",
]
