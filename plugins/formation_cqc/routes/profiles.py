"""« Nouvel enregistrement » → profile (Conducteur, Formateur, Moniteur) → mode (seed 003). Formateurs and
moniteurs: manual only, and the centre says whether it pays their CQC fee. Thin: the choice goes in the draft."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from core.plugin_api import CurrentActor
from plugins.formation_cqc import SESSIONS
from plugins.formation_cqc.runtime import platform
from plugins.formation_cqc.services import drafts, rules
from plugins.formation_cqc.services.rules import Profile

GATE = {"permission": SESSIONS}
Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
R = Request[Any, Any, Any]


async def _page(request: R, actor: Any, profile: Profile | None, errors: dict[str, str],
                status_code: int = 200) -> Template:
    office = platform().office(request)
    return await platform().render(
        request, actor, "formation_cqc/new.html", status_code=status_code, office=office, profile=profile,
        profiles=list(rules.PROFILE_LABELS.items()), errors=errors, base=platform().office_url(office.id, ""),
        fee_full=rules.FEE_FULL, fee_module=rules.FEE_MODULE, contract=await platform().service_contract(office.id))


@get("/sessions/enregistrement", opt=GATE)
async def new_page(request: R, actor: CurrentActor) -> Template:
    raw = request.query_params.get("profil")
    profile = rules.parse_profile(raw or "")
    errors = {"profile": "Sélectionnez le type de profil enregistré."} if raw is not None and profile is None else {}
    return await _page(request, actor, profile, errors, 422 if errors else 200)


@post("/sessions/enregistrement", opt=GATE)
async def choose(request: R, actor: CurrentActor, data: Form) -> Template | Redirect:
    """Manual mode for the chosen profile; a formateur or moniteur must say who pays the CQC fee."""
    office = platform().office(request)
    profile = rules.parse_profile(str(data.get("profile", "")))
    if profile is None:
        return await _page(request, actor, None, {"profile": "Sélectionnez le type de profil enregistré."}, 422)
    pays = str(data.get("centre_pays", ""))
    if profile is not Profile.conducteur and pays not in ("oui", "non"):
        return await _page(request, actor, profile, {
            "centre_pays": "Indiquez si le centre prend en charge la redevance de la carte CQC."}, 422)
    draft = await drafts.load(office.id, actor.member_id)
    draft.set_profile(profile, pays == "oui")
    await drafts.save(office.organisation, office.id, actor.member_id, draft)  # type: ignore[arg-type]
    return Redirect(platform().office_url(office.id, "/sessions/nouveau"))


ROUTES = [new_page, choose]
