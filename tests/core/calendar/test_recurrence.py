"""Recurrence rules expand to the same dates as dateutil's rrule, with exceptions, DST and leap years."""

from datetime import UTC, date, datetime

import pytest
from dateutil import rrule
from hypothesis import given, settings
from hypothesis import strategies as st

from core.calendar.openings import Move, rule_occurrences
from core.calendar.recurrence import WEEKDAYS, LocalClock, Recurrence, RecurrenceError, parse_byday

pytestmark = pytest.mark.nodb

DU_FREQ = {"DAILY": rrule.DAILY, "WEEKLY": rrule.WEEKLY, "MONTHLY": rrule.MONTHLY}
DU_DAYS = [rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU]


def reference(rec: Recurrence, start: date, end: date) -> list[date]:
    byweekday = [DU_DAYS[wd](n) if n else DU_DAYS[wd] for wd, n in rec.byday] or None
    rule = rrule.rrule(DU_FREQ[rec.freq], dtstart=datetime.combine(rec.first_date, datetime.min.time()),
                       interval=rec.interval, byweekday=byweekday, count=rec.count,
                       until=datetime.combine(rec.until, datetime.min.time()) if rec.until else None)
    return [d.date() for d in rule.between(datetime.combine(start, datetime.min.time()),
                                           datetime.combine(end, datetime.min.time()), inc=True)]


def test_second_tuesday_and_last_friday_of_the_month():
    rec = Recurrence(date(2026, 1, 1), "MONTHLY", byday=parse_byday("2TU,-1FR"))
    assert list(rec.dates(date(2026, 1, 1), date(2026, 3, 31))) == [
        date(2026, 1, 13), date(2026, 1, 30), date(2026, 2, 10), date(2026, 2, 27), date(2026, 3, 10),
        date(2026, 3, 27)]


def test_every_other_week_until_and_count():
    rec = Recurrence(date(2026, 3, 2), "WEEKLY", interval=2, byday=parse_byday("MO,TH"), until=date(2026, 3, 31))
    assert list(rec.dates(date(2026, 1, 1), date(2026, 12, 31))) == [
        date(2026, 3, 2), date(2026, 3, 5), date(2026, 3, 16), date(2026, 3, 19), date(2026, 3, 30)]
    counted = Recurrence(date(2026, 3, 2), "DAILY", count=3)
    assert counted.last_date() == date(2026, 3, 4)
    assert list(counted.dates(date(2026, 3, 4), date(2026, 4, 1))) == [date(2026, 3, 4)]


def test_leap_day_monthly_rule_only_on_leap_years():
    rec = Recurrence(date(2024, 2, 29), "MONTHLY", interval=12)
    assert list(rec.dates(date(2024, 1, 1), date(2032, 12, 31))) == [
        date(2024, 2, 29), date(2028, 2, 29), date(2032, 2, 29)]
    thirty_first = Recurrence(date(2026, 1, 31), "MONTHLY")
    assert [d.month for d in thirty_first.dates(date(2026, 1, 1), date(2026, 12, 31))] == [1, 3, 5, 7, 8, 10, 12]


@pytest.mark.parametrize("byday,error", [("XX", "Jour"), ("2TU", "rang"), ("6MO", "Jour")])
def test_bad_rules_have_french_messages(byday, error):
    with pytest.raises(RecurrenceError, match=error):
        Recurrence(date(2026, 1, 1), "WEEKLY", byday=parse_byday(byday))


def test_exceptions_skip_and_move_one_occurrence():
    rec = Recurrence(date(2026, 3, 2), "WEEKLY")  # Mondays
    exceptions = {date(2026, 3, 9): None, date(2026, 3, 16): Move(date(2026, 3, 18), 840, 960),
                  date(2026, 3, 10): Move(date(2026, 3, 11), 600, 660)}  # not an occurrence: ignored
    got = sorted(rule_occurrences(rec, 540, 720, exceptions, date(2026, 3, 1), date(2026, 3, 31)))
    assert got == [(date(2026, 3, 2), 540, 720), (date(2026, 3, 18), 840, 960), (date(2026, 3, 23), 540, 720),
                   (date(2026, 3, 30), 540, 720)]


def test_move_from_outside_the_window_into_it_is_found():
    rec = Recurrence(date(2026, 3, 2), "WEEKLY")
    got = rule_occurrences(rec, 540, 600, {date(2026, 2, 23): None, date(2026, 3, 2): Move(date(2026, 4, 1), 0, 60)},
                           date(2026, 4, 1), date(2026, 4, 1))
    assert got == [(date(2026, 4, 1), 0, 60)]


def test_wall_clock_is_kept_across_both_dst_weekends():
    clock = LocalClock("Europe/Paris")
    # 09:00 local the Friday before and the Monday after each change: UTC moves by one hour.
    assert datetime.fromtimestamp(clock.ts(date(2026, 3, 27), 540), UTC).hour == 8
    assert datetime.fromtimestamp(clock.ts(date(2026, 3, 30), 540), UTC).hour == 7
    assert datetime.fromtimestamp(clock.ts(date(2026, 10, 23), 540), UTC).hour == 7
    assert datetime.fromtimestamp(clock.ts(date(2026, 10, 26), 540), UTC).hour == 8
    # On the change days, a 00:00–24:00 day lasts 23 h (March) and 25 h (October).
    assert clock.ts(date(2026, 3, 29), 1440) - clock.ts(date(2026, 3, 29), 0) == 23 * 3600
    assert clock.ts(date(2026, 10, 25), 1440) - clock.ts(date(2026, 10, 25), 0) == 25 * 3600
    # 02:30 does not exist on 29 March: it reads as 03:30 summer time, i.e. 01:30 UTC.
    assert datetime.fromtimestamp(clock.ts(date(2026, 3, 29), 150), UTC).hour == 1


byday_item = st.tuples(st.integers(0, 6), st.sampled_from([0, 1, 2, 3, 4, -1, -2]))


@st.composite
def recurrences(draw):
    freq = draw(st.sampled_from(["DAILY", "WEEKLY", "MONTHLY"]))
    items = draw(st.lists(byday_item, max_size=3))
    if freq != "MONTHLY" or draw(st.booleans()):
        items = [(wd, 0) for wd, _ in items]
    else:  # dateutil drops plain weekdays when ordinal ones are present (RFC 5545 unions them): not mixed here
        items = [(wd, n or 1) for wd, n in items]
    first = draw(st.dates(date(2023, 1, 1), date(2027, 12, 31)))
    until = draw(st.none() | st.dates(first, date(2029, 12, 31)))
    count = draw(st.none() | st.integers(1, 40)) if until is None else None
    return Recurrence(first, freq, draw(st.integers(1, 4)), tuple(sorted(set(items))), until, count)


@settings(max_examples=300, deadline=None)
@given(rec=recurrences(), start=st.dates(date(2023, 1, 1), date(2029, 12, 31)), length=st.integers(0, 120))
def test_matches_dateutil_rrule(rec, start, length):
    end = date.fromordinal(start.toordinal() + length)
    assert list(rec.dates(start, end)) == reference(rec, start, end)


def test_weekday_names_are_rfc5545():
    assert WEEKDAYS[parse_byday("SU")[0][0]] == "SU"
