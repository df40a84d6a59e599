"""The platform handed to this plugin at start-up."""

from __future__ import annotations

from core.plugin_api import Platform

_PLATFORM: list[Platform] = []


def set_platform(platform: Platform) -> None:
    _PLATFORM[:] = [platform]


def platform() -> Platform:
    return _PLATFORM[0]
