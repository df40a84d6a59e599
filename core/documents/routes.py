"""Staff download of a document: `/documents/{id}` (the reader is checked in the service)."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get
from litestar.params import FromPath

from core.auth.guards import CurrentActor
from core.documents import services
from core.documents.http import download
from core.plugin_api.manifest import Permission
from core.tenancy.roles import Role


def read_role(request: Request[Any, Any, Any], module: str) -> Role | Permission:
    """What a member needs to read a module's documents: the permission it names in
    `Manifest.documents_permission` (role and grant), else its `<module>.read` permission, else any member."""
    permission = request.app.state.plugins.documents_permission(module)
    return permission if permission is not None else Role.basic


@get("/documents/{document_id:str}", include_in_schema=False)
async def staff_download(request: Request[Any, Any, Any], actor: CurrentActor,
                         document_id: FromPath[str]) -> Response[Any]:
    return download(*await services.read_for_staff(actor, document_id, lambda module: read_role(request, module)))


ROUTES = [staff_download]
