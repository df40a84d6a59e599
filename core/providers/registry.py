"""The kinds of providers and the providers on offer, collected once from the loaded plugins.

The core declares "sms" (its default provider is the platform's: `SOCLE_SMS_PROVIDER`); a module declares kinds
in `MANIFEST.provider_kinds` (available in offices where it is active) and any module registers providers with
`register_providers` (available in offices where their module is active). No Litestar here.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from core.plugin_api.types import Provider, ProviderKind, SmsMessage
from core.plugin_settings.services import settings_type

log = logging.getLogger("socle.providers")
PLATFORM = "platform"  # key of a core kind's default provider (a module's keys always hold a dot)
NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,48}$")
MAX_KEY = 50  # provider settings are stored under the provider's key, in the settings table's plugin column
SMS = ProviderKind(key="sms", label="Envoi des SMS",
                   description="Le fournisseur qui envoie les SMS de ce bureau (rappels, confirmations).")


class PlatformSms:
    """The core's default SMS provider: the platform-wide one (`SOCLE_SMS_PROVIDER`, « log » by default)."""

    def __init__(self, settings: Any) -> None:
        self.settings = settings

    async def send(self, message: SmsMessage) -> None:
        from core.notify.sms import sms_provider

        await sms_provider(self.settings).send(message.to, message.text, key=message.key)


@dataclass
class Kind:
    spec: ProviderKind
    owner: str | None  # None: the core; else the plugin id that publishes it
    default: Provider | None = None
    providers: dict[str, Provider] = field(default_factory=dict)

    def plugin_of(self, provider_key: str) -> str | None:
        return None if provider_key == PLATFORM else provider_key.split(".", 1)[0]


class ProviderRegistry:
    def __init__(self, kinds: dict[str, Kind]) -> None:
        self.kinds = kinds

    def kind(self, key: str) -> Kind | None:
        return self.kinds.get(key)

    def provider(self, kind: str, key: str) -> Provider | None:
        found = self.kinds.get(kind)
        if found is None:
            return None
        return found.default if key == PLATFORM else found.providers.get(key)


def _valid(plugin_id: str, provider: Any, kinds: dict[str, Kind]) -> str:
    """Why a registered provider is ignored ("" when it is fine)."""
    if not isinstance(provider, Provider):
        return "not a Provider"
    if not provider.key.startswith(plugin_id + ".") or len(provider.key) > MAX_KEY \
            or not NAME_RE.match(provider.key.split(".", 1)[1]):
        return f"key must be {plugin_id}.<name> (lowercase, at most {MAX_KEY} characters)"
    if provider.kind not in kinds:
        return f"unknown provider kind {provider.kind!r}"
    if provider.settings is not None and settings_type(provider.settings) is None:
        return "settings must be a msgspec Struct whose fields all have defaults"
    if provider.key in kinds[provider.kind].providers:
        return "key already registered"
    return ""


def build(manager: Any) -> ProviderRegistry:
    """Kinds (core, then each healthy plugin's manifest) and providers (each healthy plugin's `register_providers`)."""
    kinds = {SMS.key: Kind(SMS, None, Provider(kind=SMS.key, key=PLATFORM, label="Fournisseur de la plateforme",
                                               implementation=PlatformSms(manager.settings),
                                               summary="Celui que l'exploitant a configuré pour toute la plateforme."))}
    for record in manager.healthy():
        for spec in (record.manifest.provider_kinds if record.manifest else ()):
            if not isinstance(spec, ProviderKind) or spec.key in kinds:
                log.error("plugin %s: provider kind %r ignored (already declared or not a ProviderKind)",
                          record.id, spec)
                continue
            kinds[spec.key] = Kind(spec, record.id)
    for plugin_id, providers in manager.call_sync("register_providers"):
        for provider in providers or []:
            problem = _valid(plugin_id, provider, kinds)
            if problem:
                log.error("plugin %s: provider %r ignored (%s)", plugin_id, getattr(provider, "key", provider),
                          problem)
                continue
            kinds[provider.kind].providers[provider.key] = provider
    return ProviderRegistry(kinds)
