"""The outbox worker: jobs run once per commit, retries with backoff, dead letters, leases, periodic jobs."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import timedelta

import pytest

from core import db, jobs
from core.config import WorkerSettings
from core.jobs.tables import OutboxMessage
from core.jobs.worker import backoff


@pytest.fixture
def fast(settings):
    return dataclasses.replace(settings, worker=WorkerSettings(backoff_seconds=0, max_attempts=3, poll_seconds=0.05))


async def rows():
    return await OutboxMessage.select().order_by(OutboxMessage.id)


async def test_a_job_exists_only_if_its_transaction_commits(client, fast):
    registry = jobs.Registry()
    seen: list[dict] = []

    async def remember(context):
        seen.append(context.payload)

    registry.register_job("remember", remember)
    with pytest.raises(RuntimeError):
        async with db.write_transaction():
            await jobs.schedule("remember", {"n": 1})
            raise RuntimeError("business change failed")
    assert await rows() == []
    async with db.write_transaction():
        await jobs.schedule("remember", {"n": 2})
    assert await jobs.Worker(fast, registry).run(until_idle=True) == 1
    assert seen == [{"n": 2}]
    [row] = await rows()
    assert (row["status"], row["attempts"], row["locked_until"]) == ("sent", 1, None)


async def test_same_idempotency_key_is_enqueued_once(client, fast):
    registry = jobs.Registry()
    count = []

    async def job(context):
        count.append(context.key)

    registry.register_job("once", job)
    for _ in range(3):
        await jobs.schedule("once", key="commande-42")
    await jobs.Worker(fast, registry).run(until_idle=True)
    assert count == ["commande-42"]


async def test_failures_are_retried_then_succeed(client, fast):
    registry = jobs.Registry()
    calls = []

    async def flaky(context):
        calls.append(context.attempt)
        if context.attempt < 3:
            raise ConnectionError("pair indisponible")

    registry.register_job("flaky", flaky)
    await jobs.schedule("flaky")
    await jobs.Worker(fast, registry).run(until_idle=True)
    assert calls == [1, 2, 3]
    [row] = await rows()
    assert (row["status"], row["attempts"], row["last_error"]) == ("sent", 3, "")


async def test_a_message_that_always_fails_goes_to_the_dead_letters(client, fast):
    registry = jobs.Registry()

    async def broken(context):
        raise jobs.DeliveryFailed("HTTP 500", response_code=500)

    registry.register_job("broken", broken)
    await jobs.schedule("broken")
    await jobs.Worker(fast, registry).run(until_idle=True)
    [row] = await rows()
    assert (row["status"], row["attempts"], row["last_error"], row["response_code"]) == ("dead", 3, "HTTP 500", 500)
    message = await OutboxMessage.objects().get(OutboxMessage.id == row["id"])
    await jobs.replay(message)
    [row] = await rows()
    assert (row["status"], row["attempts"], row["last_error"]) == ("pending", 0, "")


async def test_permanent_failure_and_unknown_kind(client, fast):
    registry = jobs.Registry()

    async def refuse(context):
        raise jobs.PermanentFailure("adresse invalide")

    registry.register_job("refuse", refuse)
    await jobs.schedule("refuse")
    await jobs.schedule("nobody-handles-this")
    await jobs.Worker(fast, registry).run(until_idle=True)
    first, second = await rows()
    assert (first["status"], first["attempts"], first["last_error"]) == ("dead", 1, "adresse invalide")
    assert (second["status"], second["attempts"]) == ("dead", 3)
    assert "Aucun gestionnaire" in second["last_error"]


async def test_retry_waits_for_the_backoff(client, settings):
    slow = dataclasses.replace(settings, worker=WorkerSettings(backoff_seconds=3600, max_attempts=5))
    registry = jobs.Registry()

    async def broken(context):
        raise ConnectionError("refusé")

    registry.register_job("broken", broken)
    await jobs.schedule("broken")
    await jobs.Worker(slow, registry).run(until_idle=True)
    [row] = await rows()
    assert (row["status"], row["attempts"]) == ("pending", 1)
    assert row["next_attempt_at"] - row["created_at"] > timedelta(minutes=45)
    assert await jobs.Worker(slow, registry).claim(10) == []


async def test_a_lost_lease_is_claimed_again(client, settings):
    short = dataclasses.replace(settings, worker=WorkerSettings(lease_seconds=0.3))
    await jobs.schedule("anything")
    first, second = jobs.Worker(short, name="a"), jobs.Worker(short, name="b")
    assert len(await first.claim(10)) == 1  # then "a" dies without recording anything
    assert await second.claim(10) == []
    await asyncio.sleep(0.4)
    [again] = await second.claim(10)
    assert again["attempts"] == 2
    [row] = await rows()
    assert (row["status"], row["locked_by"]) == ("sending", "b")


async def test_periodic_job_runs_once_per_period_across_workers(client, fast):
    registry = jobs.Registry()
    runs = []

    async def tick(context):
        runs.append(context.key)

    registry.register_periodic("tick", timedelta(hours=1), tick)
    workers = [jobs.Worker(fast, registry, name=f"w{i}") for i in range(3)]
    for worker in workers:
        await worker.enqueue_periodic()
        await worker.enqueue_periodic()
    await asyncio.gather(*(w.run(until_idle=True) for w in workers))
    assert len(runs) == 1 and runs[0].startswith("periodic:tick:")


@pytest.mark.nodb
def test_backoff_doubles_and_is_capped(settings):
    config = dataclasses.replace(settings, worker=WorkerSettings(backoff_seconds=10, backoff_max_seconds=100))
    delays = [backoff(config, n).total_seconds() for n in (1, 2, 3, 10)]
    assert 8 <= delays[0] <= 12 and 16 <= delays[1] <= 24 and 32 <= delays[2] <= 48 and 80 <= delays[3] <= 120


@pytest.mark.nodb
def test_registry_refuses_a_second_handler_for_a_kind():
    registry = jobs.Registry()

    async def one(context):
        return None

    async def two(context):
        return None

    registry.register_job("x", one)
    registry.register_job("x", one)
    with pytest.raises(ValueError, match="already has a handler"):
        registry.register_job("x", two)
    with pytest.raises(ValueError):
        registry.register_job("Pas Valide", one)
