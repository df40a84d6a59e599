"""Who is acting: the authenticated user as a member of the organisation being worked in."""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import Forbidden
from core.tenancy.roles import Role
from core.tenancy.scope import Scope


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: int
    email: str
    member_id: int
    organisation_id: int
    role: Role
    display_name: str

    @property
    def scope(self) -> Scope:
        return Scope(self.organisation_id)

    def require(self, role: Role) -> None:
        if not self.role.at_least(role):
            raise Forbidden()
