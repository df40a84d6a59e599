"""The platform handed to this plugin at start-up, and the acting context of a gated request."""

from __future__ import annotations

from typing import Any

from litestar import Request

from core.plugin_api import Actor, Platform
from plugins.passerelle_examens.services.common import Ctx

_PLATFORM: list[Platform] = []


def set_platform(platform: Platform) -> None:
    _PLATFORM[:] = [platform]


def platform() -> Platform:
    return _PLATFORM[0]


def ctx(request: Request[Any, Any, Any], actor: Actor | None) -> Ctx:
    office = platform().office(request)
    return Ctx(organisation_id=office.organisation, office_id=office.id, actor=actor)  # type: ignore[arg-type]
