"""The acting context of the module's services."""

from __future__ import annotations

from dataclasses import dataclass

from core.plugin_api import Actor, SocleError


@dataclass(frozen=True, slots=True)
class Ctx:
    organisation_id: int
    office_id: int
    actor: Actor | None = None


class ProviderFailed(SocleError):
    """The exam provider failed (its French message is shown as is); nothing was recorded."""

    status_code = 503


class NotParticipating(SocleError):
    status_code = 409


def check_participation(settings: object) -> None:
    """Sessions are searched and booked only when the office takes part in the RdvPermis experiment."""
    if not getattr(settings, "rdvpermis", True):
        raise NotParticipating("Ce bureau ne participe pas à l'expérimentation RdvPermis : un administrateur "
                               "peut l'activer dans les réglages de la Passerelle Examens.")
