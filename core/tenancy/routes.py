"""Ma configuration (pages) and the tenancy API: me, organisation, offices, members. Thin: rules in services."""

from __future__ import annotations

import json
from typing import Annotated, Any

from litestar import Request, Router, delete, get, patch, post
from litestar.enums import RequestEncodingType
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example
from litestar.params import Body, FromPath, JSONBody
from litestar.plugins.flash import flash
from litestar.response import Redirect, Response, Template
from litestar.status_codes import HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from core import audit
from core.auth.guards import CurrentActor, require_role
from core.calendar import holiday_pages
from core.errors import SocleError
from core.plugins.slots import fill_slot
from core.tenancy import invitation_pages, invitations, services
from core.tenancy.roles import Role
from core.tenancy.schemas import (
    InvitationOut,
    MemberIn,
    MemberOut,
    MemberPatch,
    MeOut,
    OfficeIn,
    OfficeOut,
    OfficePatch,
    OrganisationIn,
    OrganisationOut,
)
from core.tenancy.tables import MemberInvitation, Office, Organisation
from core.web.params import PathId
from core.web.shell import current_office, render

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


async def office_modules(request: Request[Any, Any, Any], organisation_id: int) -> dict[int, list[str]]:
    """Active module ids per office (filled by the modules capability when it is installed)."""
    provider = request.app.state.get("office_modules")
    return await provider(organisation_id) if provider else {}


def _office_out(office: Office | services.OfficeInfo, modules: dict[int, list[str]]) -> OfficeOut:
    return OfficeOut(id=office.id, name=office.name, address=office.address, timezone=office.timezone,
                     active_modules=modules.get(office.id, []))


def _organisation_out(organisation: dict[str, Any]) -> OrganisationOut:
    return OrganisationOut(**organisation)


def _office_ids(data: dict[str, Any]) -> list[int]:
    raw = data.get("office_ids", [])
    values = raw if isinstance(raw, list) else [raw]
    return [int(v) for v in values if str(v).isdigit()]


# -- API ---------------------------------------------------------------------------------------


@get("/me", summary="Le membre connecté et son organisation")
async def me(request: Request[Any, Any, Any], actor: CurrentActor) -> MeOut:
    organisation = await services.get_organisation(actor)
    modules = await office_modules(request, actor.organisation_id)
    return MeOut(user_id=actor.user_id, email=actor.email, member_id=actor.member_id,
                 display_name=actor.display_name, role=actor.role.value,
                 organisation=_organisation_out(organisation),
                 offices=[_office_out(o, modules) for o in await services.visible_offices(actor)])


@get("/organisation", summary="L'organisation")
async def get_organisation(actor: CurrentActor) -> OrganisationOut:
    return _organisation_out(await services.get_organisation(actor))


@patch("/organisation", guards=[require_role(Role.admin)], summary="Modifier l'organisation")
async def patch_organisation(actor: CurrentActor, data: JSONBody[OrganisationIn]) -> OrganisationOut:
    await services.update_organisation(
        actor, name=data.name, siret=data.siret, address=data.address, phone=data.phone, email=data.email)
    return _organisation_out(await services.get_organisation(actor))


@get("/offices", summary="Les bureaux de l'appelant et leurs modules actifs")
async def list_offices(request: Request[Any, Any, Any], actor: CurrentActor) -> list[OfficeOut]:
    provider = request.app.state.get("offices_with_modules")  # one statement (the modules capability)
    if provider is None:
        return [_office_out(o, {}) for o in await services.visible_offices(actor)]
    return [OfficeOut(o.id, o.name, o.address, o.timezone, modules) for o, modules in await provider(actor)]


@post("/offices", guards=[require_role(Role.admin)], summary="Créer un bureau")
async def create_office(request: Request[Any, Any, Any], actor: CurrentActor, data: JSONBody[OfficeIn]) -> OfficeOut:
    office = await services.save_office(actor, data.name, data.address, data.timezone)
    return _office_out(office, {})


@get("/offices/{office_id:str}", summary="Un bureau")
async def get_office(request: Request[Any, Any, Any], actor: CurrentActor, office_id: PathId) -> OfficeOut:
    office = await services.get_office(actor, office_id)
    return _office_out(office, await office_modules(request, actor.organisation_id))


@patch("/offices/{office_id:str}", guards=[require_role(Role.admin)], summary="Modifier un bureau")
async def patch_office(request: Request[Any, Any, Any], actor: CurrentActor, office_id: PathId,
                       data: JSONBody[OfficePatch]) -> OfficeOut:
    office = await services.get_office(actor, office_id)
    office = await services.save_office(actor, data.name, data.address, data.timezone, office=office)
    return _office_out(office, await office_modules(request, actor.organisation_id))


@get("/members", guards=[require_role(Role.basic)], summary="Les membres de l'organisation")
async def list_members(actor: CurrentActor) -> list[MemberOut]:
    return [MemberOut(**row) for row in await services.list_members(actor)]


def _invitation_out(invitation: MemberInvitation, email: str) -> InvitationOut:
    office_ids = invitation.office_ids
    return InvitationOut(id=invitation.id, display_name=invitation.display_name, role=invitation.role, email=email,
                         office_ids=json.loads(office_ids) if isinstance(office_ids, str) else list(office_ids),
                         status=invitation.status)


@post("/members", guards=[require_role(Role.admin)], summary="Inviter un membre",
      description="Un nouveau compte ou un intervenant devient membre tout de suite (201). Une adresse qui a déjà "
                  "un compte Socle reçoit une invitation à accepter : réponse 202, le membre n'existe qu'après.",
      responses={202: ResponseSpec(InvitationOut, description="Invitation envoyée, en attente d'acceptation",
                                   examples=[Example(value={"id": 1, "display_name": "Luc", "role": "basic",
                                                            "email": "luc@example.org", "office_ids": [1],
                                                            "status": "pending"})])})
async def invite_member(request: Request[Any, Any, Any], actor: CurrentActor,
                        data: JSONBody[MemberIn]) -> Response[MemberOut]:  # 202: an InvitationOut, declared above
    added = await invitations.add_member(request.app.state.settings, actor, data.role, data.display_name,
                                         data.email, data.password, data.office_ids)
    if isinstance(added, MemberInvitation):
        invited = _invitation_out(added, (data.email or "").strip().lower())
        return Response(invited, status_code=HTTP_202_ACCEPTED)  # type: ignore[arg-type]
    return Response(MemberOut(**await services.get_member(actor, added.id)), status_code=201)


@get("/invitations", guards=[require_role(Role.admin)], summary="Les invitations en attente d'acceptation")
async def list_invitations(actor: CurrentActor) -> list[InvitationOut]:
    return [InvitationOut(id=row["id"], display_name=row["display_name"], role=row["role"], email=row["email"],
                          office_ids=list(row["office_ids"] or []), status="pending")
            for row in await invitations.pending_invitations(actor)]


@delete("/invitations/{invitation_id:str}", guards=[require_role(Role.admin)], status_code=HTTP_204_NO_CONTENT,
        summary="Annuler une invitation en attente")
async def cancel_invitation(actor: CurrentActor, invitation_id: PathId) -> None:
    await invitations.cancel_invitation(actor, invitation_id)


@get("/members/{member_id:str}", guards=[require_role(Role.basic)], summary="Un membre")
async def get_member(actor: CurrentActor, member_id: PathId) -> MemberOut:
    return MemberOut(**await services.get_member(actor, member_id))


@patch("/members/{member_id:str}", guards=[require_role(Role.admin)], summary="Modifier un membre (rôle, bureaux)")
async def patch_member(actor: CurrentActor, member_id: PathId, data: JSONBody[MemberPatch]) -> MemberOut:
    member = await services.update_member(actor, member_id, data.role, data.display_name, data.office_ids)
    return MemberOut(**await services.get_member(actor, member.id))


@delete("/members/{member_id:str}", guards=[require_role(Role.admin)], status_code=HTTP_204_NO_CONTENT,
        summary="Retirer un membre")
async def delete_member(actor: CurrentActor, member_id: PathId) -> None:
    await services.remove_member(actor, member_id)


api = Router("/api/v1", route_handlers=[
    me, get_organisation, patch_organisation, list_offices, create_office, get_office, patch_office,
    list_members, invite_member, get_member, patch_member, delete_member, list_invitations, cancel_invitation,
], tags=["tenancy"])  # every handler takes `actor`, which answers 401 without a valid token


# -- Ma configuration pages --------------------------------------------------------------------


@get("/", name="config")
async def config_page(request: Request[Any, Any, Any], actor: CurrentActor) -> Template:
    organisation = await Organisation.objects().get(Organisation.id == actor.organisation_id)
    return await render(request, actor, "config/index.html", organisation=organisation,
                        members=await services.list_members(actor),
                        invitations=await invitations.pending_invitations(actor))


@post("/organisation")
async def save_organisation(request: Request[Any, Any, Any], actor: CurrentActor, data: Form) -> Redirect:
    await services.update_organisation(actor, name=data.get("name"), siret=data.get("siret"),
                                       address=data.get("address"), phone=data.get("phone"), email=data.get("email"))
    flash(request, "Les informations de l'organisation ont été enregistrées.", category="success")
    return Redirect("/config")


@get("/offices/new")
async def new_office_page(request: Request[Any, Any, Any], actor: CurrentActor) -> Template:
    return await render(request, actor, "config/office_form.html", edited=None)


@post("/offices")
async def create_office_form(request: Request[Any, Any, Any], actor: CurrentActor, data: Form) -> Redirect:
    office = await services.save_office(actor, data.get("name"), data.get("address"), data.get("timezone"))
    flash(request, f"Le bureau « {office.name} » a été créé.", category="success")
    return Redirect("/config")


@get("/offices/{office_id:str}")
async def edit_office_page(request: Request[Any, Any, Any], actor: CurrentActor, office_id: FromPath[str]) -> Template:
    edited = await services.get_office(actor, office_id)
    return await render(request, actor, "config/office_form.html", edited=edited,
                        **await holiday_pages.page_context(actor.organisation_id, edited.id),
                        slot=await fill_slot(request, edited, "office", actor=actor))


@post("/offices/{office_id:str}")
async def update_office_form(request: Request[Any, Any, Any], actor: CurrentActor, office_id: FromPath[str],
                             data: Form) -> Redirect:
    office = await services.get_office(actor, office_id)
    await services.save_office(actor, data.get("name"), data.get("address"), data.get("timezone"), office=office)
    flash(request, f"Le bureau « {office.name} » a été enregistré.", category="success")
    return Redirect("/config")


@get("/members/new")
async def new_member_page(request: Request[Any, Any, Any], actor: CurrentActor) -> Template:
    return await render(request, actor, "config/member_form.html", edited=None, form={}, errors={},
                        may_manage=True)


@post("/members")
async def invite_member_form(request: Request[Any, Any, Any], actor: CurrentActor, data: Form) -> Template | Redirect:
    try:
        added = await invitations.add_member(
            request.app.state.settings, actor, data.get("role", ""), data.get("display_name", ""),
            data.get("email") or None, data.get("password") or None, _office_ids(data))
    except SocleError as error:  # the form again, with what was typed (never the password)
        form = {"role": data.get("role", ""), "display_name": data.get("display_name", ""),
                "email": data.get("email", ""), "office_ids": _office_ids(data)}
        return await render(request, actor, "config/member_form.html", edited=None, form=form,
                            errors={e.field: e.message for e in error.errors},
                            message="Corrigez les champs signalés." if error.errors else error.message,
                            may_manage=True, status_code=error.status_code)
    if isinstance(added, MemberInvitation):
        flash(request, f"Invitation envoyée à {added.display_name} : cette personne a déjà un compte Socle et "
                       "rejoindra l'organisation après avoir accepté.", category="success")
    else:
        flash(request, f"{added.display_name} a été ajouté(e) à l'organisation.", category="success")
    return Redirect("/config")


@post("/invitations/{invitation_id:str}/cancel")
async def cancel_invitation_form(request: Request[Any, Any, Any], actor: CurrentActor,
                                 invitation_id: FromPath[str]) -> Redirect:
    await invitations.cancel_invitation(actor, invitation_id)
    flash(request, "L'invitation a été annulée.", category="success")
    return Redirect("/config")


@get("/members/{member_id:str}")
async def edit_member_page(request: Request[Any, Any, Any], actor: CurrentActor, member_id: FromPath[str]) -> Template:
    edited = await services.get_member(actor, member_id)
    office = current_office(request, await services.visible_offices(actor))
    slot = await fill_slot(request, office, "member", actor=actor, member_id=edited["id"], role=edited["role"])
    return await render(request, actor, "config/member_form.html", edited=edited, form={}, errors={},
                        may_manage=services.may_manage(actor, Role(edited["role"])), slot=slot)


@post("/members/{member_id:str}")
async def update_member_form(request: Request[Any, Any, Any], actor: CurrentActor, member_id: FromPath[str],
                             data: Form) -> Redirect:
    member = await services.update_member(actor, member_id, data.get("role"), data.get("display_name"),
                                          _office_ids(data))
    flash(request, f"{member.display_name} a été mis(e) à jour.", category="success")
    return Redirect("/config")


@post("/members/{member_id:str}/delete")
async def delete_member_form(request: Request[Any, Any, Any], actor: CurrentActor,
                             member_id: FromPath[str]) -> Redirect:
    await services.remove_member(actor, member_id)
    flash(request, "Le membre a été retiré de l'organisation.", category="success")
    return Redirect("/config")


@get("/audit")
async def audit_page(request: Request[Any, Any, Any], actor: CurrentActor) -> Template:
    entries = await audit.organisation_log(actor.organisation_id)
    return await render(request, actor, "config/audit.html", entries=entries)


pages = Router("/config", route_handlers=[
    audit_page,
    config_page, save_organisation, new_office_page, create_office_form, edit_office_page, update_office_form,
    holiday_pages.save_office_holidays,
    new_member_page, invite_member_form, edit_member_page, update_member_form, delete_member_form,
    cancel_invitation_form,
], guards=[require_role(Role.admin)], include_in_schema=False)

ROUTES = [api, pages, *invitation_pages.ROUTES]
