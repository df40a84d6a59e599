"""The worker: claims due outbox messages, runs their handler, records the outcome.

At-least-once: a message is claimed with a lease (`locked_until`) and its attempt counted before it runs;
success marks it sent, failure schedules a retry with exponential backoff or, after `max_attempts`, moves it
to the dead letters. A worker killed mid-delivery leaves its messages `sending`; once their lease has expired
any worker claims them again. On PostgreSQL the claim is `SELECT … FOR UPDATE SKIP LOCKED`, so workers never
wait for each other; on SQLite it runs inside `BEGIN IMMEDIATE`, which serialises claims.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx

from core import db
from core.config import Settings
from core.jobs.outbox import JOB_PREFIX, enqueue, now
from core.jobs.registry import DeliveryFailed, JobContext, PermanentFailure, Registry, default_registry
from core.jobs.tables import DEAD, PENDING, SENDING, SENT, OutboxMessage

log = logging.getLogger("socle.worker")
M = OutboxMessage


def backoff(settings: Settings, attempts: int) -> timedelta:
    """Delay before the next try after `attempts` failures: base × 2^(attempts-1), capped, ±20 % jitter."""
    config = settings.worker
    delay = min(config.backoff_seconds * 2 ** max(attempts - 1, 0), config.backoff_max_seconds)
    return timedelta(seconds=delay * random.uniform(0.8, 1.2))


def describe(error: BaseException, timeout: float) -> str:
    if isinstance(error, TimeoutError | httpx.TimeoutException):
        return f"Délai dépassé ({timeout:g} s)"
    text = str(error) or type(error).__name__
    return text if isinstance(error, DeliveryFailed | PermanentFailure) else f"{type(error).__name__} : {text}"


class Worker:
    def __init__(self, settings: Settings, registry: Registry | None = None, name: str | None = None) -> None:
        self.settings = settings
        self.registry = registry or default_registry
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._periodic_slots: dict[str, int] = {}
        self._http: httpx.AsyncClient | None = None

    # -- claiming and recording outcomes --------------------------------------------------------

    async def claim(self, limit: int) -> list[dict[str, Any]]:
        """Lease up to `limit` due messages to this worker (counting the attempt) and return them."""
        moment = now()
        due = ((M.status == PENDING) & (M.next_attempt_at <= moment)) | (
            (M.status == SENDING) & (M.locked_until < moment))
        async with db.write_transaction():
            query = M.select(M.id).where(due).order_by(M.next_attempt_at).limit(limit)
            if db.is_postgres():
                query = query.lock_rows("UPDATE", skip_locked=True)
            ids = [row["id"] for row in await query]
            if not ids:
                return []
            lease = moment + timedelta(seconds=self.settings.worker.lease_seconds)
            await M.update({M.status: SENDING, M.attempts: M.attempts + 1, M.locked_until: lease,
                            M.locked_by: self.name}).where(M.id.is_in(ids))
            return await M.select(M.id, M.kind, M.idempotency_key, M.payload, M.organisation,
                                  M.attempts).where(M.id.is_in(ids)).output(load_json=True)

    def _mine(self, message_id: int) -> Any:
        return (M.id == message_id) & (M.status == SENDING) & (M.locked_by == self.name)

    async def _sent(self, row: dict[str, Any], code: int | None) -> None:
        await M.update({M.status: SENT, M.sent_at: now(), M.locked_until: None, M.last_error: "",
                        M.response_code: code}).where(self._mine(row["id"]))

    async def _failed(self, row: dict[str, Any], error: str, code: int | None, permanent: bool) -> None:
        dead = permanent or row["attempts"] >= self.settings.worker.max_attempts
        retry_at: datetime = now() + backoff(self.settings, row["attempts"])
        await M.update({M.status: DEAD if dead else PENDING, M.next_attempt_at: retry_at, M.locked_until: None,
                        M.last_error: error[:2000], M.response_code: code}).where(self._mine(row["id"]))
        log.log(logging.ERROR if dead else logging.WARNING, "%s %s (tentative %s) : %s%s", row["kind"],
                row["idempotency_key"], row["attempts"], error, " — abandonné" if dead else "")

    # -- running ---------------------------------------------------------------------------------

    async def process(self, row: dict[str, Any]) -> None:
        config = self.settings.worker
        if row["attempts"] > config.max_attempts:  # leased and lost too often (its handler kills workers?)
            await self._failed(row, "Abandonné : le traitement n'a jamais abouti.", None, permanent=True)
            return
        handler = self.registry.handlers.get(row["kind"])
        assert self._http is not None
        context = JobContext(settings=self.settings, key=row["idempotency_key"], kind=row["kind"],
                             payload=row["payload"] or {}, organisation_id=row["organisation"],
                             attempt=row["attempts"], http=self._http)
        budget = config.lease_seconds * 0.9
        try:
            if handler is None:
                raise DeliveryFailed(f"Aucun gestionnaire pour « {row['kind']} » dans ce worker.")
            code = await asyncio.wait_for(handler(context), timeout=budget)
        except PermanentFailure as error:
            await self._failed(row, describe(error, budget), None, permanent=True)
        except Exception as error:
            code = error.response_code if isinstance(error, DeliveryFailed) else None
            await self._failed(row, describe(error, config.webhook_timeout_seconds if isinstance(
                error, httpx.TimeoutException) else budget), code, permanent=False)
        else:
            await self._sent(row, code)

    async def _process_logged(self, row: dict[str, Any]) -> None:
        try:
            await self.process(row)
        except Exception:  # the outcome could not be recorded: the lease expires and it runs again
            log.exception("worker %s : issue de %s non enregistrée", self.name, row["idempotency_key"])

    async def enqueue_periodic(self) -> None:
        """Insert this period's row of each periodic job (the slot in the key makes it once for all workers)."""
        moment = now().timestamp()
        for periodic in self.registry.periodic.values():
            every = periodic.every.total_seconds()
            slot = int(moment // every)
            if self._periodic_slots.get(periodic.name) == slot:
                continue
            await enqueue(JOB_PREFIX + periodic.name, {}, key=f"periodic:{periodic.name}:{slot}",
                          summary=f"Tâche périodique {periodic.name}", ref=JOB_PREFIX + periodic.name)
            self._periodic_slots[periodic.name] = slot

    async def run(self, stop: asyncio.Event | None = None, *, until_idle: bool = False) -> int:
        """Deliver until `stop` is set (or, with `until_idle`, until nothing is due). Returns messages handled."""
        stop = stop or asyncio.Event()
        config = self.settings.worker
        in_flight: set[asyncio.Task[None]] = set()
        handled = 0
        async with httpx.AsyncClient(timeout=config.webhook_timeout_seconds, follow_redirects=False) as http:
            self._http = http
            try:
                while not stop.is_set():
                    claimed: list[dict[str, Any]] = []
                    try:
                        await self.enqueue_periodic()
                        if len(in_flight) < config.batch_size:
                            claimed = await self.claim(config.batch_size - len(in_flight))
                    except Exception:
                        log.exception("worker %s : lecture de la file impossible", self.name)
                    for row in claimed:
                        in_flight.add(asyncio.create_task(self._process_logged(row)))
                    handled += len(claimed)
                    if until_idle and not claimed and not in_flight:
                        break
                    waiters: set[asyncio.Future[Any]] = {*in_flight, asyncio.ensure_future(stop.wait())}
                    timeout = 0 if claimed and len(in_flight) < config.batch_size else config.poll_seconds
                    done, _ = await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
                    for task in [t for t in waiters if t not in in_flight]:
                        task.cancel()
                    in_flight -= done  # type: ignore[arg-type]
                if in_flight:
                    await asyncio.wait(in_flight, timeout=config.lease_seconds)
            finally:
                for task in in_flight:
                    task.cancel()
                self._http = None
        return handled
