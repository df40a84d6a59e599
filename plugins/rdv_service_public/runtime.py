"""The platform handed to this plugin at start-up, and the acting context of a gated request."""

from __future__ import annotations

from typing import Any

from litestar import Request

from core.plugin_api import Actor, Platform
from plugins.rdv_service_public.services import notices
from plugins.rdv_service_public.services.common import Ctx

_PLATFORM: list[Platform] = []


def set_platform(platform: Platform) -> None:
    _PLATFORM[:] = [platform]
    notices.configure(platform)


def platform() -> Platform:
    return _PLATFORM[0]


def ctx(request: Request[Any, Any, Any], actor: Actor | None) -> Ctx:
    office = platform().office(request)
    return Ctx(organisation_id=office.organisation, office_id=office.id, timezone=office.timezone,  # type: ignore[arg-type]
               actor=actor)
