"""Calendar API under /api/v1/offices/{office_id}/calendars, the private ICS feed and the planning page.
Thin: the office is resolved through tenancy (another organisation's office → 404), rules live in services."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Request, Response, Router, delete, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.response import Template
from litestar.status_codes import HTTP_204_NO_CONTENT

from core.auth.guards import CurrentActor, require_role
from core.calendar import booking, holiday_policy, ics, search, services
from core.calendar.ownership import ApiCall
from core.calendar.planning import planning
from core.calendar.schemas import (
    BookingCancelIn,
    BookingIn,
    BookingMoveIn,
    BookingOut,
    CalendarIn,
    CalendarOut,
    ClosureIn,
    ClosureOut,
    MoveIn,
    OfficeHolidaysIn,
    OfficeHolidaysOut,
    RuleIn,
    RuleOut,
    Slot,
    SlotRuns,
)
from core.errors import ValidationFailed
from core.tenancy.actor import Actor
from core.tenancy.roles import Role
from core.tenancy.services import get_office, visible_offices
from core.validation import Day, Input, Moment, check_id
from core.web.params import (
    OptionalQueryDuration,
    OptionalQueryMinutes,
    PathId,
    QueryDuration,
    QueryIds,
    QueryMinutes,
    QuerySeats,
    QueryText,
    RequiredQueryIds,
)
from core.web.shell import render

admin = [require_role(Role.admin)]
R = Request[Any, Any, Any]


def _via(request: R, actor: Actor) -> ApiCall:
    """This is the core API: objects of the installed modules are theirs to change, booking outside the
    opening hours is the admins' (core.calendar.ownership)."""
    return ApiCall.of(actor.role, (record.id for record in request.app.state.plugins.records))


class ExceptionIn(Input, forbid_unknown_fields=True):
    """Skip the occurrence of `date` (no `move`), or move it."""

    date: Day
    move: MoveIn | None = None


async def _calendar_ids(actor: Actor, office_id: int, raw: str | None) -> tuple[list[int], frozenset[int]]:
    """The calendars asked for (default: all of the office) and the office they must be in."""
    office = await get_office(actor, office_id)
    if not raw:
        return [c.id for c in await services.list_calendars(actor.organisation_id, office.id)], frozenset([office.id])
    return _ids(raw), frozenset([office.id])


def _ids(raw: str) -> list[int]:
    try:
        return [check_id("calendar_ids", part) for part in raw.split(",") if part.strip()]
    except ValidationFailed:
        raise ValidationFailed.on("calendar_ids", "Liste d'agendas invalide (ex. 3,4,5).") from None


@get("/", summary="Les agendas du bureau")
async def list_calendars(actor: CurrentActor, office_id: PathId) -> list[CalendarOut]:
    office = await get_office(actor, office_id)
    return await services.list_calendars(actor.organisation_id, office.id)


@post("/", guards=admin, summary="Créer un agenda")
async def create_calendar(actor: CurrentActor, office_id: PathId, data: JSONBody[CalendarIn]) -> CalendarOut:
    office = await get_office(actor, office_id)
    return await services.create_calendar(
        actor.organisation_id, office.id, data.name, capacity=data.capacity, timezone=data.timezone,
        owner_kind=data.owner_kind, owner_ref=data.owner_ref, closed_on_public_holidays=data.closed_on_public_holidays,
        alsace_moselle=data.alsace_moselle)


@get("/holidays", summary="Jours fériés : fermeture du bureau (par défaut) ou ouverture, Alsace-Moselle")
async def get_holidays(actor: CurrentActor, office_id: PathId) -> OfficeHolidaysOut:
    office = await get_office(actor, office_id)
    return await holiday_policy.office_holidays(actor.organisation_id, office.id)


@put("/holidays", guards=admin, summary="Régler les jours fériés du bureau (appliqué à tous ses agendas)")
async def set_holidays(actor: CurrentActor, office_id: PathId,
                       data: JSONBody[OfficeHolidaysIn]) -> OfficeHolidaysOut:
    office = await get_office(actor, office_id)
    return await holiday_policy.set_office_holidays(actor.organisation_id, office.id,
                                                     open_on_public_holidays=data.open_on_public_holidays,
                                                     alsace_moselle=data.alsace_moselle)


SlotsFormat = Annotated[str | None, QueryParameter(
    max_length=20, description="« full » (défaut) : un objet par créneau ; « compact » : par agenda, des suites "
    "[premier début, pas en minutes, nombre, places libres, lieu].")]


def _compact(value: str | None) -> bool:
    if value not in (None, "", "full", "compact"):
        raise ValidationFailed.on("format", "Le format doit être « full » ou « compact ».")
    return value == "compact"


@get("/slots", summary="Créneaux libres")
async def search_slots(actor: CurrentActor, office_id: PathId, start: FromQuery[Moment],
                       end: FromQuery[Moment], duration: QueryDuration, calendar_ids: QueryIds = None,
                       step: OptionalQueryDuration = None, buffer_before: QueryMinutes = 0,
                       buffer_after: QueryMinutes = 0, min_notice: QueryMinutes = 0,
                       max_horizon: OptionalQueryMinutes = None, tags: QueryText = None,
                       seats: QuerySeats = 1, format: SlotsFormat = None) -> list[Slot] | SlotRuns:
    """`format=compact`: per calendar, runs of starts (see `SlotRuns`) instead of one object per slot."""
    compact = _compact(format)
    ids, offices = await _calendar_ids(actor, office_id, calendar_ids)
    return await (search.search_slot_runs if compact else search.search_slots)(
        actor.organisation_id, ids, start, end, duration, step=step, buffer_before=buffer_before,
        buffer_after=buffer_after, min_notice=min_notice, max_horizon=max_horizon,
        tags=[t for t in (tags or "").split(",") if t], seats=seats, offices=offices)



@get("/first-free", summary="Premier créneau libre")
async def first_free(actor: CurrentActor, office_id: PathId, duration: QueryDuration,
                     calendar_ids: QueryIds = None, start: FromQuery[Moment | None] = None,
                     min_notice: QueryMinutes = 0, max_horizon: QueryMinutes = 92 * 24 * 60,
                     tags: QueryText = None, seats: QuerySeats = 1) -> Slot | None:
    ids, offices = await _calendar_ids(actor, office_id, calendar_ids)
    return await search.first_free_slot(actor.organisation_id, ids, duration, start=start, min_notice=min_notice,
                                        max_horizon=max_horizon, tags=[t for t in (tags or "").split(",") if t],
                                        seats=seats, offices=offices)


@get("/closures", summary="Fermetures du bureau et de ses agendas")
async def list_closures(actor: CurrentActor, office_id: PathId) -> list[ClosureOut]:
    office = await get_office(actor, office_id)
    return await services.list_closures(actor.organisation_id, office.id)


@post("/closures", guards=admin, summary="Ajouter une fermeture")
async def add_closure(actor: CurrentActor, office_id: PathId, data: JSONBody[ClosureIn]) -> ClosureOut:
    office = await get_office(actor, office_id)
    return await services.add_closure(actor.organisation_id, office.id, data)


@delete("/closures/{closure_id:int}", guards=admin, status_code=HTTP_204_NO_CONTENT, summary="Supprimer")
async def delete_closure(request: R, actor: CurrentActor, office_id: PathId, closure_id: PathId) -> None:
    await get_office(actor, office_id)
    await services.delete_closure(actor.organisation_id, closure_id, via=_via(request, actor))


async def _calendar(actor: Actor, office_id: int, calendar_id: int) -> Any:
    office = await get_office(actor, office_id)
    return await services.get_calendar(actor.organisation_id, calendar_id, office.id)


@get("/{calendar_id:int}", summary="Un agenda")
async def get_calendar(actor: CurrentActor, office_id: PathId, calendar_id: PathId) -> CalendarOut:
    return services.calendar_out(await _calendar(actor, office_id, calendar_id))


@post("/{calendar_id:int}/ics-token", guards=admin, summary="Révoquer et renouveler le lien ICS privé")
async def rotate_ics(actor: CurrentActor, office_id: PathId, calendar_id: PathId) -> CalendarOut:
    calendar = await _calendar(actor, office_id, calendar_id)
    return await services.rotate_ics_token(actor.organisation_id, calendar.id)


@get("/{calendar_id:int}/rules", summary="Règles d'ouverture")
async def list_rules(actor: CurrentActor, office_id: PathId, calendar_id: PathId) -> list[RuleOut]:
    calendar = await _calendar(actor, office_id, calendar_id)
    return await services.list_rules(actor.organisation_id, calendar.id)


@post("/{calendar_id:int}/rules", guards=admin, summary="Ajouter une règle d'ouverture")
async def add_rule(actor: CurrentActor, office_id: PathId, calendar_id: PathId,
                   data: JSONBody[RuleIn]) -> RuleOut:
    calendar = await _calendar(actor, office_id, calendar_id)
    return await services.add_opening_rule(actor.organisation_id, calendar.id, data)


@post("/{calendar_id:int}/rules/{rule_id:int}/exceptions", guards=admin,
      summary="Supprimer ou déplacer une occurrence")
async def add_exception(request: R, actor: CurrentActor, office_id: PathId, calendar_id: PathId,
                        rule_id: PathId, data: JSONBody[ExceptionIn]) -> RuleOut:
    await _calendar(actor, office_id, calendar_id)
    return await services.set_rule_exception(actor.organisation_id, rule_id, data.date, data.move,
                                             via=_via(request, actor))


@delete("/{calendar_id:int}/rules/{rule_id:int}", guards=admin, status_code=HTTP_204_NO_CONTENT,
        summary="Supprimer une règle")
async def delete_rule(request: R, actor: CurrentActor, office_id: PathId, calendar_id: PathId,
                      rule_id: PathId) -> None:
    await _calendar(actor, office_id, calendar_id)
    await services.delete_rule(actor.organisation_id, rule_id, via=_via(request, actor))


@get("/{calendar_id:int}/bookings", summary="Rendez-vous d'un agenda")
async def list_bookings(actor: CurrentActor, office_id: PathId, calendar_id: PathId,
                        start: FromQuery[Moment], end: FromQuery[Moment],
                        include_cancelled: FromQuery[bool] = False) -> list[BookingOut]:
    calendar = await _calendar(actor, office_id, calendar_id)
    return await booking.bookings_between(actor.organisation_id, [calendar.id], start, end,
                                          include_cancelled=include_cancelled)


@post("/{calendar_id:int}/bookings", summary="Réserver")
async def book(request: R, actor: CurrentActor, office_id: PathId, calendar_id: PathId,
               data: JSONBody[BookingIn]) -> BookingOut:
    calendar = await _calendar(actor, office_id, calendar_id)
    return await booking.book(actor.organisation_id, calendar.id, data.start, data.end, seats=data.seats,
                              label=data.label, source_plugin=data.source_plugin, source_ref=data.source_ref,
                              created_by=actor.member_id, allow_outside_hours=data.allow_outside_hours,
                              via=_via(request, actor))


@post("/bookings/{booking_id:int}/cancel", summary="Annuler un rendez-vous")
async def cancel(request: R, actor: CurrentActor, office_id: PathId, booking_id: PathId,
                 data: JSONBody[BookingCancelIn]) -> BookingOut:
    office = await get_office(actor, office_id)
    return await booking.cancel(actor.organisation_id, booking_id, by=actor.member_id, reason=data.reason,
                                office_id=office.id, via=_via(request, actor))


@post("/bookings/{booking_id:int}/move", summary="Déplacer un rendez-vous")
async def move(request: R, actor: CurrentActor, office_id: PathId, booking_id: PathId,
               data: JSONBody[BookingMoveIn]) -> BookingOut:
    office = await get_office(actor, office_id)
    return await booking.move(actor.organisation_id, booking_id, data.start, data.end, by=actor.member_id,
                              allow_outside_hours=data.allow_outside_hours, office_id=office.id,
                              via=_via(request, actor))


@get("/api/v1/calendars/slots", guards=[require_role(Role.basic)], tags=["calendar"],
     summary="Créneaux libres sur plusieurs bureaux")
async def search_slots_multi_site(actor: CurrentActor, calendar_ids: RequiredQueryIds,
                                  start: FromQuery[Moment],
                                  end: FromQuery[Moment], duration: QueryDuration,
                                  step: OptionalQueryDuration = None, min_notice: QueryMinutes = 0,
                                  max_horizon: OptionalQueryMinutes = None,
                                  tags: QueryText = None, seats: QuerySeats = 1,
                                  format: SlotsFormat = None) -> list[Slot] | SlotRuns:
    """Like the office search, for calendars of any offices the member sees (ids required);
    `format=compact`: per calendar, runs of starts (see `SlotRuns`)."""
    compact = _compact(format)
    offices = frozenset(o.id for o in await visible_offices(actor))
    return await (search.search_slot_runs if compact else search.search_slots)(
        actor.organisation_id, _ids(calendar_ids), start, end, duration, step=step, min_notice=min_notice,
        max_horizon=max_horizon, tags=[t for t in (tags or "").split(",") if t], seats=seats, offices=offices)


api = Router("/api/v1/offices/{office_id:str}/calendars", route_handlers=[
    list_calendars, create_calendar, search_slots, first_free, list_closures, add_closure, delete_closure,
    get_calendar, rotate_ics, list_rules, add_rule, add_exception, delete_rule, list_bookings, book, cancel, move,
    get_holidays, set_holidays,
], guards=[require_role(Role.basic)], tags=["calendar"])


@get("/ics/{filename:str}", include_in_schema=False)
async def ics_feed(filename: FromPath[str]) -> Response[str]:
    """The private feed: no login, the unguessable token is the key (revocable from the API)."""
    text = await ics.feed(filename.removesuffix(".ics"))
    return Response(text, media_type="text/calendar; charset=utf-8",
                    headers={"Cache-Control": "private, max-age=300"})


@get("/offices/{office_id:str}/planning", guards=[require_role(Role.basic)], include_in_schema=False)
async def planning_page(request: R, actor: CurrentActor, office_id: FromPath[str],
                        view: FromQuery[str] = "week", day: FromQuery[date | None] = None) -> Template:
    office = await get_office(actor, office_id)
    data = await planning(actor.organisation_id, office.id, day or date.today(), view)
    return await render(request, actor, "calendar/planning.html", shell_office=office, office=office, planning=data)


ROUTES = [api, search_slots_multi_site, ics_feed, planning_page]
