"""Calendar test factories."""

from datetime import date

from core import calendar as cal


async def weekly_calendar(org, name="Agenda", capacity=1, byday="MO,TU,WE,TH,FR", start="09:00", end="12:00",
                          first=date(2026, 3, 2), **rule):
    """A calendar of the org's office opening every weekday morning (Europe/Paris) from `first`."""
    created = await cal.create_calendar(org.organisation_id, org.office_id, name, capacity=capacity)
    await cal.add_opening_rule(org.organisation_id, created.id,
                               cal.RuleIn(start=start, end=end, first_date=first, byday=byday, **rule))
    return created
