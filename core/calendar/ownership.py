"""Who may change what in a calendar: the policy of the core calendar API.

A booking, an opening rule or a closure whose `source_plugin` names an installed module belongs to that
module: the module keeps its own records beside it (an appointment, a plage, an absence) and its own rules
(who may cancel a colleague's appointment, which openings serve which motif). The core calendar API, which
knows none of that, refuses to create, change or delete such objects (403, French message naming the
module); the module changes them through its own services, which call `core.calendar` in process (the
default `via=None`). Bookings made through the API for an outside system (`source_plugin` not a module,
e.g. "crm") stay the API's to change.

Booking outside the opening hours is an admin decision through the API: a basic agent asking for
`allow_outside_hours` gets a 403 naming the field (a module decides for its own agents, in process).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from core.errors import FieldError, Forbidden
from core.tenancy.roles import Role

_WHAT = {
    "booking": ("Ce rendez-vous est géré", "annulez-le ou déplacez-le"),
    "rule": ("Cette règle d'ouverture est gérée", "modifiez ou supprimez la plage correspondante"),
    "closure": ("Cette fermeture est gérée", "modifiez ou supprimez l'absence correspondante"),
}


class ModuleOwned(Forbidden):
    default_message = "Cet élément de l'agenda est géré par un module : modifiez-le depuis ce module."


@dataclass(frozen=True, slots=True)
class ApiCall:
    """A change asked through the core calendar API by a member of `role`; `modules` are the ids of the
    installed modules."""

    role: Role
    modules: frozenset[str]

    @classmethod
    def of(cls, role: Role, module_ids: Iterable[str]) -> ApiCall:
        return cls(role, frozenset(module_ids))


def check_change(kind: str, source_plugin: str, via: ApiCall | None) -> None:
    """Raise ModuleOwned when `via` is the core API and the object (`kind`: booking, rule, closure) belongs to
    a module. `via=None` is a call in process: a module's own services, or the core."""
    if via is None or not source_plugin or source_plugin not in via.modules:
        return
    subject, action = _WHAT[kind]
    raise ModuleOwned(f"{subject} par le module « {source_plugin} » : {action} depuis ce module.")


def check_new_booking(source_plugin: str, via: ApiCall | None) -> None:
    """Through the API, a booking cannot claim to come from a module (it could then not be changed)."""
    if via is not None and source_plugin in via.modules:
        message = f"Seul le module « {source_plugin} » peut créer ses rendez-vous."
        raise ModuleOwned(message, [FieldError("source_plugin", message)])


def check_outside_hours(allow_outside_hours: bool, via: ApiCall | None) -> None:
    """Through the API, only an admin (or the owner) books or moves outside the opening hours."""
    if allow_outside_hours and via is not None and not via.role.at_least(Role.admin):
        message = "Seul un administrateur peut réserver en dehors des heures d'ouverture."
        raise Forbidden(message, [FieldError("allow_outside_hours", message)])
