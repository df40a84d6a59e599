"""SMS through a provider interface. The default provider only logs (and keeps a file in the data dir);
`register_sms_provider(name, factory)` and `SOCLE_SMS_PROVIDER=name` choose the platform-wide one (internal).
Modules offer providers through the public `register_providers` hook and each office picks its own
(`core.providers`); the worker's "sms" handler then is `core.providers.sms.handler`."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from core.config import Settings
from core.jobs import JobContext, PermanentFailure, enqueue
from core.jobs.outbox import now
from core.tenancy.validation import Checker

KIND = "sms"
MAX_LENGTH = 612  # four concatenated SMS
log = logging.getLogger("socle.sms")


class SmsProvider(Protocol):
    async def send(self, to: str, text: str, *, key: str) -> None:
        """Send one SMS to an E.164 number; raise on failure (the worker retries). `key` is the idempotency
        key: pass it to providers that deduplicate."""


SmsProviderFactory = Callable[[Settings], SmsProvider]


class LoggingSmsProvider:
    """Development provider: logs the SMS and appends it to `<data dir>/sms/sms.jsonl`."""

    def __init__(self, settings: Settings) -> None:
        self.path = settings.data_dir / "sms" / "sms.jsonl"

    async def send(self, to: str, text: str, *, key: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps({"to": to, "text": text, "key": key, "at": now().isoformat()}) + "\n")
        log.info("SMS (fournisseur de journalisation) pour %s : %s", to, text)


_providers: dict[str, SmsProviderFactory] = {"log": LoggingSmsProvider}


def register_sms_provider(name: str, factory: SmsProviderFactory) -> None:
    if name in _providers and _providers[name] is not factory:
        raise ValueError(f"SMS provider {name!r} is already registered")
    _providers[name] = factory


def sms_provider(settings: Settings) -> SmsProvider:
    name = settings.worker.sms_provider
    if name not in _providers:
        raise PermanentFailure(f"Fournisseur SMS inconnu : « {name} » (connus : {', '.join(sorted(_providers))}).")
    return _providers[name](settings)


def normalise_phone(check: Checker, field: str, value: str) -> str:
    """A French (06 12 34 56 78) or international (+32 …) number as E.164."""
    number = re.sub(r"[\s.()-]", "", value or "")
    if re.fullmatch(r"0[1-9]\d{8}", number):
        number = "+33" + number[1:]
    if not re.fullmatch(r"\+[1-9]\d{7,14}", number):
        check.add(field, "Numéro de téléphone invalide.")
    return number


async def enqueue_sms(to: str, text: str, *, organisation_id: int | None = None, key: str | None = None,
                      at: datetime | None = None, office_id: int | None = None) -> str:
    """Put an SMS on the outbox (inside your write transaction); returns its idempotency key. With
    `organisation_id` and `office_id` it goes through the office's chosen "sms" provider (API 1.1), else through
    the platform's."""
    check = Checker()
    number = normalise_phone(check, "to", to)
    text = check.text("text", text, "Le message", max_length=MAX_LENGTH)
    check.done()
    payload: dict[str, object] = {"to": number, "text": text}
    if office_id is not None and organisation_id is not None:
        payload["office_id"] = int(office_id)
    return await enqueue(KIND, payload, key=key, organisation_id=organisation_id, at=at,
                         ref=KIND, summary=f"SMS à {number} : {text[:80]}")


async def deliver_sms(context: JobContext) -> int | None:
    await sms_provider(context.settings).send(context.payload["to"], context.payload["text"], key=context.key)
    return None
