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
