"""The exam providers of an office: those registered through the hook this module publishes,
`register_exam_providers` (hookspecs.py), by the plugins active in the office — this module's own RdvPermis
and Printel, and any third party's. Opened for one office with its credentials, always closed after use."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

from core.plugin_api import NotFound, ValidationFailed
from plugins.passerelle_examens.providers.base import Capability, ExamProvider, ExamProviderEntry
from plugins.passerelle_examens.runtime import platform
from plugins.passerelle_examens.services.common import Ctx

HOOK = "register_exam_providers"
KEY = re.compile(r"^[A-Za-z0-9_.-]{1,50}$")
CAPABILITY_LABELS: dict[str, str] = {
    "centres": "recherche des centres", "sessions": "places d'examen de la semaine", "mandates": "mandats",
    "booking": "réservation", "cancel": "annulation", "planning": "planning de l'auto-école",
    "capture": "capture des places attribuées"}


async def entries(c: Ctx) -> dict[str, ExamProviderEntry]:
    """key → entry, in the order plugins answered (this module first), for the plugins active in the office."""
    found: dict[str, ExamProviderEntry] = {}
    answers = await platform().call_hook(HOOK, office_id=c.office_id)
    answers.sort(key=lambda answer: answer[0] != platform().plugin_id)
    for plugin_id, returned in answers:
        for entry in returned or []:
            if not isinstance(entry, ExamProviderEntry) or not KEY.match(entry.key) or entry.key in found:
                platform().log.error("exam provider %r from %s ignored (bad entry or key taken)", entry, plugin_id)
                continue
            found[entry.key] = replace(entry, plugin_id=plugin_id)
    return found


async def listing(c: Ctx) -> list[dict[str, Any]]:
    return [{"key": e.key, "label": e.label, "module": e.plugin_id, "capabilities": sorted(e.capabilities),
             "capacites": [CAPABILITY_LABELS.get(x, x) for x in sorted(e.capabilities)]}
            for e in (await entries(c)).values()]


async def with_capability(c: Ctx, capability: Capability) -> list[ExamProviderEntry]:
    return [e for e in (await entries(c)).values() if capability in e.capabilities]


async def entry_for(c: Ctx, key: str, capability: Capability, field: str = "fournisseur") -> ExamProviderEntry:
    """The office's provider `key` offering `capability`, or ValidationFailed naming `field`."""
    entry = (await entries(c)).get(key)
    if entry is None or capability not in entry.capabilities:
        raise ValidationFailed.on(field, "Choisissez un fournisseur d'examens proposé dans ce bureau.")
    return entry


@asynccontextmanager
async def opened(c: Ctx, key: str, capability: Capability) -> AsyncIterator[ExamProvider]:
    """`async with opened(c, "rdvpermis", "centres") as provider:` — closed afterwards, whatever happens."""
    entry = await entry_for(c, key, capability)
    provider = await entry.open(c.organisation_id, c.office_id)
    try:
        yield provider
    finally:
        close = getattr(provider, "aclose", None)
        if close is not None:
            await close()


async def require(c: Ctx, key: str) -> ExamProviderEntry:
    entry = (await entries(c)).get(key)
    if entry is None:
        raise NotFound("Ce fournisseur d'examens n'est pas proposé dans ce bureau.")
    return entry
