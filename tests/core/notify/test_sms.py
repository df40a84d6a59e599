"""SMS go through the outbox to the configured provider: the logging provider by default, or one a module
registers; French numbers are normalised to E.164 and bad numbers are refused."""

from __future__ import annotations

import dataclasses
import json

import pytest

from core import notify
from core.config import WorkerSettings
from core.errors import ValidationFailed
from core.jobs.tables import OutboxMessage

SENT: list[tuple[str, str, str]] = []


class MemoryProvider:
    def __init__(self, settings):
        self.settings = settings

    async def send(self, to: str, text: str, *, key: str) -> None:
        SENT.append((to, text, key))


notify.register_sms_provider("test-memory", MemoryProvider)


async def test_default_provider_logs_the_sms_to_the_data_dir(client, drain, worker_settings):
    key = await notify.enqueue_sms("06 12 34 56 78", "Rappel : rendez-vous demain à 9 h en mairie.")
    await drain()
    [line] = (worker_settings.data_dir / "sms" / "sms.jsonl").read_text().splitlines()
    assert json.loads(line)["to"] == "+33612345678" and json.loads(line)["key"] == key
    [row] = await OutboxMessage.select()
    assert row["status"] == "sent"
    assert row["summary"] == "SMS à +33612345678 : Rappel : rendez-vous demain à 9 h en mairie."


async def test_a_registered_provider_is_used(client, drain, worker_settings):
    settings = dataclasses.replace(worker_settings, worker=WorkerSettings(sms_provider="test-memory"))
    key = await notify.enqueue_sms("+32 470 12 34 56", "Bonjour")
    await drain(settings)
    assert ("+32470123456", "Bonjour", key) in SENT


async def test_unknown_provider_dead_letters_with_a_clear_error(client, drain, worker_settings):
    settings = dataclasses.replace(worker_settings, worker=WorkerSettings(sms_provider="inconnu"))
    await notify.enqueue_sms("0612345678", "Bonjour")
    await drain(settings)
    [row] = await OutboxMessage.select()
    assert row["status"] == "dead" and "Fournisseur SMS inconnu : « inconnu »" in row["last_error"]


@pytest.mark.parametrize(("to", "text", "field"), [("12", "Bonjour", "to"), ("0612345678", "", "text"),
                                                   ("0612345678", "x" * 700, "text"), ("+0612", "ok", "to")])
async def test_bad_sms_input_names_the_field(client, to, text, field):
    with pytest.raises(ValidationFailed) as raised:
        await notify.enqueue_sms(to, text)
    assert [e.field for e in raised.value.errors] == [field]
    assert await OutboxMessage.count() == 0
