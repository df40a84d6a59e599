"""Staff download of a document: `/documents/{id}` (the reader is checked in the service)."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get
from litestar.params import FromPath

from core.auth.guards import CurrentActor
from core.documents import services
from core.documents.http import download
from core.tenancy.roles import Role


def read_role(request: Request[Any, Any, Any], module: str) -> Role:
    """The role a member needs to read a module's documents: its `<module>.read` permission when it
    declares one, else any member (basic)."""
    permission = request.app.state.plugins.permissions.get(f"{module}.read")
    return permission.role if permission is not None else Role.basic


@get("/documents/{document_id:str}", include_in_schema=False)
async def staff_download(request: Request[Any, Any, Any], actor: CurrentActor,
                         document_id: FromPath[str]) -> Response[Any]:
    return download(*await services.read_for_staff(actor, document_id, lambda module: read_role(request, module)))


ROUTES = [staff_download]
