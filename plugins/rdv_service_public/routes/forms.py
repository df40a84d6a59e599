"""Helpers shared by the HTML pages: form bodies, multi-valued fields, error re-rendering."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Any

from litestar.enums import RequestEncodingType
from litestar.params import Body

from core.plugin_api import SocleError

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


def many(data: dict[str, Any], name: str) -> list[str]:
    raw = data.get(name, [])
    return [str(v) for v in (raw if isinstance(raw, list) else [raw]) if str(v) != ""]


def one(data: dict[str, Any], name: str) -> str:
    raw = data.get(name, "")
    return str(raw[-1] if isinstance(raw, list) and raw else raw or "")


def errors_of(error: SocleError) -> dict[str, str]:
    return {e.field: e.message for e in error.errors}


UNITS = {"minutes": 1, "heures": 60, "jours": 24 * 60}  # delays are chosen with a unit, stored in minutes


def split_minutes(minutes: Any) -> tuple[str, str]:
    """(value, unit) in the largest unit that divides `minutes`: 2880 → ("2", "jours")."""
    try:
        number = int(minutes)
    except (TypeError, ValueError):
        return str(minutes or ""), "minutes"
    for unit in ("jours", "heures"):
        if number and number % UNITS[unit] == 0:
            return str(number // UNITS[unit]), unit
    return str(number), "minutes"


def minutes_of(data: dict[str, Any], name: str) -> str:
    """A delay posted as `<name>_value` + `<name>_unit` (or as plain minutes in `<name>_minutes`)."""
    value, unit = one(data, f"{name}_value").strip(), one(data, f"{name}_unit")
    if not value and f"{name}_value" not in data:
        return one(data, f"{name}_minutes")
    try:
        return str(int(value) * UNITS.get(unit, 1))
    except ValueError:
        return value


def message_of(error: SocleError) -> str:
    """One banner line: the error's message and its fields' messages, each once."""
    seen: list[str] = []
    for message in [error.message, *(e.message for e in error.errors)]:
        if message and message not in seen:
            seen.append(message)
    return " ".join(seen)


def parse_day(text: str | None) -> date:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return date.today()


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def local_input(moment: datetime | None, tz: Any) -> str:
    """A value for <input type="datetime-local">."""
    return moment.astimezone(tz).strftime("%Y-%m-%dT%H:%M") if moment else ""
