"""Member roles, lowest to highest."""

from enum import StrEnum


class Role(StrEnum):
    intervenant = "intervenant"  # an agenda managed by others: no login
    basic = "basic"
    admin = "admin"
    owner = "owner"  # gérant: modules, orders, members

    @property
    def rank(self) -> int:
        return _RANKS[self]

    def at_least(self, other: "Role") -> bool:
        return self.rank >= other.rank

    @property
    def label(self) -> str:
        return _LABELS[self]


_RANKS = {Role.intervenant: 0, Role.basic: 1, Role.admin: 2, Role.owner: 3}
_LABELS = {
    Role.intervenant: "Intervenant",
    Role.basic: "Agent",
    Role.admin: "Administrateur",
    Role.owner: "Gérant",
}
