"""Where the office's admins see their modules' problems (API 1.1): a dashboard card, « Modules installés »
and `GET /api/v1/offices/{office_id}/health`."""

from __future__ import annotations

from typing import Any

from litestar import Request, Router, get
from markupsafe import escape

from core.auth.guards import CurrentActor, authenticated
from core.plugin_api.types import Widget
from core.plugins import health
from core.tenancy.actor import Actor
from core.tenancy.roles import Role
from core.tenancy.tables import Office
from core.web.params import PathId

CARD_TITLE = "Modules en difficulté"


def title_of(manager: Any, plugin_id: str) -> str:
    record = manager.record(plugin_id)
    return record.title if record is not None else plugin_id


def sentences(manager: Any, problems: list[health.Problem]) -> list[str]:
    return [problem.sentence(title_of(manager, problem.plugin)) for problem in problems]


def dashboard_provider(manager: Any) -> Any:
    """A card listing the current office's problems, for its admins (nothing when all is well)."""
    async def provide(request: Request[Any, Any, Any], actor: Actor) -> list[Widget]:
        from core.tenancy import services as tenancy
        from core.web.shell import current_office

        if not actor.role.at_least(Role.admin):
            return []
        office = current_office(request, await tenancy.visible_offices(actor))
        if office is None:
            return []
        found = await health.problems(actor.organisation_id, office.id)
        if not found:
            return []
        items = "".join(f'<li class="plugin-problem">{escape(text)}</li>' for text in sentences(manager, found))
        return [Widget(CARD_TITLE, f"<ul>{items}</ul>")]

    return provide


@get("/offices/{office_id:str}/health", summary="Les problèmes des modules d'un bureau (administrateurs)")
async def office_health(request: Request[Any, Any, Any], actor: CurrentActor,
                        office_id: PathId) -> list[dict[str, Any]]:
    actor.require(Role.admin)
    office = await actor.scope.get(Office, office_id)
    manager = request.app.state.plugins
    return [{"module": p.plugin, "subject": p.subject, "label": p.label, "since": p.since.isoformat(),
             "last_at": p.last_at.isoformat(), "failures": p.failures, "total": p.total, "last_error": p.last_error,
             "paused_until": p.open_until.isoformat() if p.paused and p.open_until else None,
             "message": p.sentence(title_of(manager, p.plugin))}
            for p in await health.problems(actor.organisation_id, office.id)]


ROUTES: list[Any] = [Router("/api/v1", route_handlers=[office_health], guards=[authenticated], tags=["modules"])]
