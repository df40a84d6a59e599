"""« Jours fériés » on an office's settings page: the office's holiday policy (closed by default, open on public
holidays, Alsace-Moselle), the same as GET/PUT /api/v1/offices/{office_id}/calendars/holidays."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from litestar import Request, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.plugins.flash import flash
from litestar.response import Redirect

from core import audit
from core.auth.guards import CurrentActor
from core.calendar import holiday_policy
from core.calendar.holidays import holidays_between
from core.tenancy import services

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


async def page_context(organisation_id: int, office_id: int, today: date | None = None) -> dict[str, Any]:
    """What the office page shows: the policy and the next twelve months of holidays it closes on."""
    policy = await holiday_policy.office_holidays(organisation_id, office_id)
    first = today or date.today()
    upcoming = [] if policy.open_on_public_holidays else holidays_between(first, first + timedelta(days=365),
                                                                          policy.alsace_moselle)
    return {"holidays": policy, "upcoming_holidays": upcoming}


@post("/offices/{office_id:str}/holidays")
async def save_office_holidays(request: Request[Any, Any, Any], actor: CurrentActor, office_id: FromPath[str],
                               data: Form) -> Redirect:
    office = await services.get_office(actor, office_id)
    is_open, alsace = data.get("open_on_public_holidays") == "1", data.get("alsace_moselle") == "1"
    await holiday_policy.set_office_holidays(actor.organisation_id, office.id, open_on_public_holidays=is_open,
                                             alsace_moselle=alsace)
    await audit.record("office.holidays", organisation_id=actor.organisation_id, actor_user_id=actor.user_id,
                       target=f"office:{office.id}",
                       summary=f"Jours fériés du bureau « {office.name} » : "
                               + ("ouvert" if is_open else "fermé") + (", Alsace-Moselle" if alsace else ""),
                       details={"open_on_public_holidays": is_open, "alsace_moselle": alsace})
    flash(request, f"Les jours fériés du bureau « {office.name} » ont été enregistrés ; tous ses agendas suivent ce "
                   "réglage.", category="success")
    return Redirect(f"/config/offices/{office.id}#jours-feries")
