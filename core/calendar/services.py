"""Configuring calendars: calendars, opening rules (with exceptions), closures, ICS tokens.

Services take the organisation id (the tenant scope); role checks belong to the caller (routes use
guards: admin+ configures). Anything of another organisation answers NotFound.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

import msgspec

from core import db
from core.calendar import holiday_policy
from core.calendar.openings import (
    dump_exceptions,
    end_minute,
    hhmm,
    parse_exceptions,
    parse_hhmm,
    recurrence_of,
    span,
)
from core.calendar.ownership import ApiCall, check_change
from core.calendar.recurrence import RecurrenceError
from core.calendar.schemas import CalendarOut, ClosureIn, ClosureOut, MoveIn, RuleIn, RuleOut
from core.calendar.tables import Calendar, Closure, OpeningRule
from core.errors import NotFound, ValidationFailed
from core.tenancy.scope import Scope
from core.tenancy.tables import Office
from core.tenancy.validation import Checker

NO_CALENDAR = "Cet agenda n'existe pas."


def calendar_out(row: Calendar) -> CalendarOut:
    return CalendarOut(id=row.id, office_id=row.office, name=row.name, timezone=row.timezone,  # type: ignore[arg-type]
                       capacity=row.capacity, owner_kind=row.owner_kind, owner_ref=row.owner_ref,
                       closed_on_public_holidays=row.closed_on_public_holidays, ics_path=f"/ics/{row.ics_token}.ics",
                       alsace_moselle=row.alsace_moselle)


async def get_calendar(organisation_id: int, calendar_id: Any, office_id: Any = None) -> Calendar:
    calendar = await Scope(organisation_id).get(Calendar, calendar_id, NO_CALENDAR)
    if office_id is not None and str(calendar.office) != str(office_id):
        raise NotFound(NO_CALENDAR)
    return calendar


_CALENDAR_COLUMNS = ("id, office AS office_id, name, timezone, capacity, owner_kind, owner_ref, "
                     "closed_on_public_holidays, alsace_moselle, ics_token")


async def list_calendars(organisation_id: int, office_id: int | None = None) -> list[CalendarOut]:
    """The organisation's calendars (of one office when given), by id. A raw read: modules call it on
    every booking and search (an ORM object per calendar cost ~2 ms for 200 calendars)."""
    sql = f"SELECT {_CALENDAR_COLUMNS} FROM core_calendar WHERE organisation = {{}}"
    args: list[Any] = [organisation_id]
    if office_id is not None:
        sql += " AND office = {}"
        args.append(office_id)
    return [CalendarOut(cid, office, name, zone, capacity, kind, ref, bool(holidays), f"/ics/{token}.ics", bool(alsace))
            for cid, office, name, zone, capacity, kind, ref, holidays, alsace, token
            in await db.fetch_tuples(sql + " ORDER BY id", *args)]  # tuples: no converter per value


async def create_calendar(organisation_id: int, office_id: int, name: str, *, capacity: int = 1,
                          timezone: str | None = None, owner_kind: str = "", owner_ref: str = "",
                          closed_on_public_holidays: bool | None = None,
                          alsace_moselle: bool | None = None) -> CalendarOut:
    """A calendar in an office of the organisation; its zone defaults to the office's, its public holidays to
    the office's policy (closed on them unless the office opens; Alsace-Moselle's two more when it says so)."""
    office = await Scope(organisation_id).get(Office, office_id, "Ce bureau n'existe pas.")
    policy = await holiday_policy.office_holidays(organisation_id, office.id)
    if closed_on_public_holidays is None:
        closed_on_public_holidays = not policy.open_on_public_holidays
    if alsace_moselle is None:
        alsace_moselle = policy.alsace_moselle
    check = Checker()
    name = check.text("name", name, "Le nom de l'agenda")
    zone = check.timezone("timezone", timezone or office.timezone)
    if not 1 <= capacity <= 10_000:
        check.add("capacity", "La capacité doit être comprise entre 1 et 10 000 places.")
    check.done()
    calendar = Calendar(organisation=organisation_id, office=office.id, name=name, timezone=zone,
                        capacity=capacity, owner_kind=owner_kind[:60], owner_ref=owner_ref[:120],
                        closed_on_public_holidays=closed_on_public_holidays, alsace_moselle=alsace_moselle,
                        ics_token=secrets.token_urlsafe(24))
    await calendar.save()
    return calendar_out(calendar)


async def rotate_ics_token(organisation_id: int, calendar_id: Any) -> CalendarOut:
    """A new private feed URL; the old one stops working at once."""
    calendar = await get_calendar(organisation_id, calendar_id)
    calendar.ics_token = secrets.token_urlsafe(24)
    await calendar.save()
    return calendar_out(calendar)


async def calendar_by_ics_token(token: str) -> Calendar:
    calendar = await Calendar.objects().where(Calendar.ics_token == token).first() if len(token) > 20 else None
    if calendar is None:
        raise NotFound("Ce flux d'agenda n'existe pas ou a été révoqué.")
    return calendar


# -- opening rules -------------------------------------------------------------------------------


def _recurrence_fields(check: Checker, data: RuleIn | ClosureIn) -> Any:
    try:
        return recurrence_of(data.first_date, data.freq.upper(), data.interval, data.byday, data.until, data.count)
    except RecurrenceError as error:
        check.add(error.field or "freq", str(error))
        return None


def _minutes(check: Checker, start: str, end: str) -> tuple[int, int]:
    values = []
    for field, text, label in (("start", start, "L'heure de début"), ("end", end, "L'heure de fin")):
        try:
            values.append(parse_hhmm(text, label))
        except RecurrenceError as error:
            check.add(field, str(error))
            values.append(0)
    return values[0], values[1]


def rule_out(row: dict[str, Any]) -> RuleOut:
    exceptions = dump_exceptions(parse_exceptions(row["exceptions"]))
    return RuleOut(id=row["id"], calendar_id=row["calendar"], start=hhmm(row["start_minute"]),
                   end=hhmm(row["end_minute"]), first_date=row["first_date"], freq=row["freq"],
                   interval=row["every"], byday=row["byday"], until=row["until"], count=row["count"],
                   exceptions=msgspec.convert(exceptions, dict[str, MoveIn | None]),
                   tags=[t for t in row["tags"].split(",") if t], location=row["location"], capacity=row["capacity"],
                   source_plugin=row.get("source_plugin") or "")


async def add_opening_rule(organisation_id: int, calendar_id: Any, rule: RuleIn, *,
                           source_plugin: str = "") -> RuleOut:
    """An opening of `calendar_id` (local times in the calendar's zone). A module passes its id as
    `source_plugin`: the core API then leaves the rule to it (core.calendar.ownership)."""
    calendar = await get_calendar(organisation_id, calendar_id)
    check = Checker()
    start, given_end = _minutes(check, rule.start, rule.end)
    end = end_minute(start, given_end) or 0  # past midnight: ends the next day (22:00–02:00)
    if not check.errors and not end:
        check.add("end", "L'heure de fin doit être différente de l'heure de début.")
    if rule.freq.upper() not in ("DAILY", "WEEKLY", "MONTHLY"):
        check.add("freq", "Fréquence inconnue (DAILY, WEEKLY ou MONTHLY).")
    recurrence = _recurrence_fields(check, rule)
    raw_exceptions = msgspec.to_builtins(rule.exceptions)
    try:
        exceptions = parse_exceptions(raw_exceptions)
    except RecurrenceError as error:
        check.add("exceptions", str(error))
        exceptions = {}
    if rule.capacity is not None and not 1 <= rule.capacity <= 10_000:
        check.add("capacity", "La capacité doit être comprise entre 1 et 10 000 places.")
    tags = sorted({t.strip() for t in rule.tags if t.strip()})
    if any("," in t for t in tags):
        check.add("tags", "Une étiquette ne peut pas contenir de virgule.")
    if recurrence is not None and next(recurrence.dates(recurrence.first_date, date(9999, 12, 31)), None) is None:
        check.add("byday", "Cette règle ne produit aucune ouverture.")
    check.done()
    first, last = span(recurrence, exceptions)
    row = OpeningRule(organisation=organisation_id, calendar=calendar.id, start_minute=start, end_minute=end,
                      first_date=rule.first_date, freq=rule.freq.upper(), every=rule.interval,
                      byday=",".join(rule.byday.upper().replace(" ", "").split(",")) if rule.byday else "",
                      until=rule.until, count=rule.count, exceptions=dump_exceptions(exceptions),
                      tags=",".join(tags), location=rule.location.strip()[:200], capacity=rule.capacity,
                      span_start=first, span_end=last, source_plugin=source_plugin[:60])
    await row.save()
    return rule_out(row.to_dict())


async def list_rules(organisation_id: int, calendar_id: Any) -> list[RuleOut]:
    calendar = await get_calendar(organisation_id, calendar_id)
    rows = await OpeningRule.select().where(OpeningRule.calendar == calendar.id).order_by(OpeningRule.id)
    return [rule_out(row) for row in rows]


async def set_rule_exception(organisation_id: int, rule_id: Any, day: date, move: MoveIn | None, *,
                             via: ApiCall | None = None) -> RuleOut:
    """Skip one occurrence (`move` None) or move it to another date/time; replaces any earlier exception."""
    async with db.write_transaction():
        rule = await Scope(organisation_id).get(OpeningRule, rule_id, "Cette règle d'ouverture n'existe pas.")
        check_change("rule", rule.source_plugin, via)
        recurrence = recurrence_of(rule.first_date, rule.freq, rule.every, rule.byday, rule.until, rule.count)
        if not recurrence.occurs_on(day):
            raise ValidationFailed.on("date", f"La règle n'a pas d'ouverture le {day.strftime('%d/%m/%Y')}.")
        exceptions = parse_exceptions(rule.exceptions)
        try:
            exceptions.update(parse_exceptions({day.isoformat(): msgspec.to_builtins(move)}))
        except RecurrenceError as error:
            raise ValidationFailed.on("move", str(error)) from None
        rule.exceptions = dump_exceptions(exceptions)  # type: ignore[assignment]
        rule.span_start, rule.span_end = span(recurrence, exceptions)
        await rule.save()
    return rule_out(rule.to_dict())


async def delete_rule(organisation_id: int, rule_id: Any, *, via: ApiCall | None = None) -> None:
    """Through the core API (`via`), a module's rule is refused: its plage would point at nothing."""
    rule = await Scope(organisation_id).get(OpeningRule, rule_id, "Cette règle d'ouverture n'existe pas.")
    check_change("rule", rule.source_plugin, via)
    await OpeningRule.delete().where(OpeningRule.id == rule.id)


# -- closures ------------------------------------------------------------------------------------


def closure_out(row: dict[str, Any]) -> ClosureOut:
    return ClosureOut(id=row["id"], office_id=row["office"], calendar_id=row["calendar"], reason=row["reason"],
                      first_date=row["first_date"], start=hhmm(row["start_minute"]), end=hhmm(row["end_minute"]),
                      days=row["days"], freq=row["freq"], interval=row["every"], byday=row["byday"],
                      until=row["until"], count=row["count"], source_plugin=row.get("source_plugin") or "")


async def add_closure(organisation_id: int, office_id: Any, closure: ClosureIn, *,
                      source_plugin: str = "") -> ClosureOut:
    """A closure of one calendar of the office, or of the whole office when `calendar_id` is None. A module
    passes its id as `source_plugin`: the core API then leaves the closure to it."""
    office = await Scope(organisation_id).get(Office, office_id, "Ce bureau n'existe pas.")
    if closure.calendar_id is not None:
        await get_calendar(organisation_id, closure.calendar_id, office.id)
    check = Checker()
    start, end = _minutes(check, closure.start, closure.end)
    if not 0 <= closure.days <= 366:
        check.add("days", "Une fermeture dure au plus 366 jours.")
    elif not check.errors and closure.days == 0 and end == 0 and start > 0:
        end = 1440  # "00:00" closes to the end of the day
    elif not check.errors and closure.days == 0 and end <= start:
        check.add("end", "L'heure de fin doit suivre l'heure de début.")
    if closure.freq and closure.freq.upper() not in ("DAILY", "WEEKLY", "MONTHLY"):
        check.add("freq", "Fréquence inconnue (vide, DAILY, WEEKLY ou MONTHLY).")
    recurrence = _recurrence_fields(check, closure)
    check.done()
    first, last = span(recurrence, {}, extra_days=closure.days)
    row = Closure(organisation=organisation_id, office=office.id, calendar=closure.calendar_id,
                  reason=closure.reason.strip()[:200], first_date=closure.first_date, start_minute=start,
                  days=closure.days, end_minute=end, freq=closure.freq.upper(), every=closure.interval,
                  byday=closure.byday.upper(), until=closure.until, count=closure.count,
                  span_start=first, span_end=last, source_plugin=source_plugin[:60])
    await row.save()
    return closure_out(row.to_dict())


async def list_closures(organisation_id: int, office_id: Any) -> list[ClosureOut]:
    office = await Scope(organisation_id).get(Office, office_id, "Ce bureau n'existe pas.")
    rows = await Closure.select().where(Closure.office == office.id).order_by(Closure.id)
    return [closure_out(row) for row in rows]


async def delete_closure(organisation_id: int, closure_id: Any, *, via: ApiCall | None = None) -> None:
    """Through the core API (`via`), a module's closure is refused: its absence would point at nothing."""
    closure = await Scope(organisation_id).get(Closure, closure_id, "Cette fermeture n'existe pas.")
    check_change("closure", closure.source_plugin, via)
    await Closure.delete().where(Closure.id == closure.id)
