"""The worker: claims due outbox messages, runs their handler, records the outcome.

At-least-once: a message is claimed with a lease (`locked_until`) and its attempt counted before it runs;
success marks it sent, failure schedules a retry with exponential backoff or, after `max_attempts`, moves it
to the dead letters. A worker killed mid-delivery leaves its messages `sending`; once their lease has expired
any worker claims them again. A claim is one `UPDATE … RETURNING` of the oldest due messages; on PostgreSQL
they are chosen `FOR UPDATE SKIP LOCKED`, so workers never wait for each other; on SQLite it runs inside
`BEGIN IMMEDIATE`, which serialises claims.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import random
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from operator import itemgetter
from typing import Any

import httpx

from core import db
from core.config import Settings
from core.jobs.outbox import JOB_PREFIX, enqueue, now
from core.jobs.registry import DeliveryFailed, JobContext, PermanentFailure, Postponed, Registry, default_registry
from core.jobs.tables import DEAD, PENDING, SENDING, SENT, OutboxMessage
from core.ops import metrics

log = logging.getLogger("socle.worker")
M = OutboxMessage
# The oldest due messages, locked on PostgreSQL without waiting for other workers (SKIP LOCKED: a message
# another worker is claiming is left to it); `.format(lock=…)` leaves one `{}` per parameter.
CLAIM = ("UPDATE core_outbox SET status = {{}}, attempts = attempts + 1, locked_until = {{}}, locked_by = {{}} "
         "WHERE id IN (SELECT id FROM core_outbox WHERE (status = {{}} AND next_attempt_at <= {{}}) "
         "OR (status = {{}} AND locked_until < {{}}) ORDER BY next_attempt_at LIMIT {{}}{lock}) "
         "RETURNING id, kind, idempotency_key, payload, organisation, attempts")


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


@dataclass(frozen=True, slots=True)
class Outcome:
    message_id: int
    status: str  # SENT, PENDING (retry at `retry_at`) or DEAD
    response_code: int | None = None
    error: str = ""
    retry_at: datetime | None = None
    postponed: bool = False  # not an attempt: the attempt counted at claim is given back


class Worker:
    def __init__(self, settings: Settings, registry: Registry | None = None, name: str | None = None) -> None:
        self.settings = settings
        self.registry = registry or default_registry
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._periodic_slots: dict[str, int] = {}
        self._http: httpx.AsyncClient | None = None
        self._resources: dict[str, Any] = {}
        # On stop, how long deliveries under way may still run before they are handed back.
        self.stop_grace_seconds = settings.worker.lease_seconds
        self._claimed: dict[asyncio.Task[Outcome], int] = {}  # message id of each delivery under way

    # -- claiming and recording outcomes --------------------------------------------------------

    async def claim(self, limit: int) -> list[dict[str, Any]]:
        """Lease up to `limit` due messages to this worker (counting the attempt) and return them: one
        `UPDATE … RETURNING` (on PostgreSQL a single round trip, outside any transaction)."""
        moment = now()
        lease = moment + timedelta(seconds=self.settings.worker.lease_seconds)
        args = [SENDING, lease, self.name, PENDING, moment, SENDING, moment, int(limit)]
        if db.is_postgres():
            rows = await db.fetch(CLAIM.format(lock=" FOR UPDATE SKIP LOCKED"), *args)
        else:
            async with db.write_transaction():
                rows = await db.fetch(CLAIM.format(lock=""), *args)
        for row in rows:
            if isinstance(row["payload"], str | bytes):
                row["payload"] = json.loads(row["payload"] or "{}")
        return sorted(rows, key=itemgetter("id"))

    async def record(self, outcomes: list[Outcome]) -> None:
        """Write the outcomes of finished deliveries, in one transaction or, when one statement does it, in that
        statement alone (only rows this worker still leases)."""
        if not outcomes:
            return
        mine = (M.status == SENDING) & (M.locked_by == self.name)
        moment = now()
        sent_by_code: dict[int | None, list[int]] = {}
        for outcome in outcomes:
            if outcome.status == SENT:
                sent_by_code.setdefault(outcome.response_code, []).append(outcome.message_id)
        updates = [M.update({M.status: SENT, M.sent_at: moment, M.locked_until: None, M.last_error: "",
                             M.response_code: code}).where(M.id.is_in(ids) & mine)
                   for code, ids in sent_by_code.items()]
        for outcome in outcomes:
            if outcome.status != SENT:
                changes: dict[Any, Any] = {M.status: outcome.status, M.next_attempt_at: outcome.retry_at,
                                           M.locked_until: None, M.last_error: outcome.error[:2000],
                                           M.response_code: outcome.response_code}
                if outcome.postponed:
                    changes[M.attempts] = M.attempts - 1
                updates.append(M.update(changes).where((M.id == outcome.message_id) & mine))
        if len(updates) == 1 and db.is_postgres():  # the usual batch, all sent: one statement, one round trip
            await updates[0]
            return
        async with db.write_transaction():
            for update in updates:
                await update

    def _failed(self, row: dict[str, Any], error: str, code: int | None, permanent: bool) -> Outcome:
        dead = permanent or row["attempts"] >= self.settings.worker.max_attempts
        metrics.job_failed(row["kind"], final=dead)
        log.log(logging.ERROR if dead else logging.WARNING, "%s %s (tentative %s) : %s%s", row["kind"],
                row["idempotency_key"], row["attempts"], error, " — abandonné" if dead else "")
        return Outcome(row["id"], DEAD if dead else PENDING, code, error,
                       now() + backoff(self.settings, row["attempts"]))

    # -- running ---------------------------------------------------------------------------------

    async def process(self, row: dict[str, Any]) -> Outcome:
        """Run the message's handler; `run` records the outcome (batched with others)."""
        config = self.settings.worker
        if row["attempts"] > config.max_attempts:  # leased and lost too often (its handler kills workers?)
            return self._failed(row, "Abandonné : le traitement n'a jamais abouti.", None, permanent=True)
        handler = self.registry.handlers.get(row["kind"])
        assert self._http is not None
        context = JobContext(settings=self.settings, key=row["idempotency_key"], kind=row["kind"],
                             payload=row["payload"] or {}, organisation_id=row["organisation"],
                             attempt=row["attempts"], http=self._http, resources=self._resources)
        budget = config.lease_seconds * 0.9
        try:
            if handler is None:
                raise DeliveryFailed(f"Aucun gestionnaire pour « {row['kind']} » dans ce worker.")
            code = await asyncio.wait_for(handler(context), timeout=budget)
        except PermanentFailure as error:
            return self._failed(row, describe(error, budget), None, permanent=True)
        except Postponed as error:
            log.info("%s %s en attente jusqu'à %s : %s", row["kind"], row["idempotency_key"], error.until, error)
            return Outcome(row["id"], PENDING, None, str(error), error.until, postponed=True)
        except Exception as error:
            code = error.response_code if isinstance(error, DeliveryFailed) else None
            return self._failed(row, describe(error, budget), code, permanent=False)
        return Outcome(row["id"], SENT, code)

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
        """Deliver until `stop` is set (or, with `until_idle`, until nothing is due). Returns messages handled.

        Up to `batch_size` messages are in flight; the outcomes of the deliveries that finished meanwhile are
        written together, and new messages are claimed once a quarter of the slots are free."""
        stop = stop or asyncio.Event()
        config = self.settings.worker
        in_flight: set[asyncio.Task[Outcome]] = set()
        handled = 0
        refill = max(1, config.batch_size // 4)
        stopping = asyncio.ensure_future(stop.wait())
        async with httpx.AsyncClient(timeout=config.webhook_timeout_seconds, follow_redirects=False) as http:
            self._http = http
            try:
                while not stop.is_set():
                    claimed: list[dict[str, Any]] = []
                    free = config.batch_size - len(in_flight)
                    try:
                        await self.enqueue_periodic()
                        if free >= refill or not in_flight:
                            claimed = await self.claim(free)
                    except Exception:
                        log.exception("worker %s : lecture de la file impossible", self.name)
                    for row in claimed:
                        task = asyncio.create_task(self.process(row))
                        self._claimed[task] = row["id"]
                        in_flight.add(task)
                    handled += len(claimed)
                    if until_idle and not claimed and not in_flight:
                        break
                    if claimed and len(claimed) == free and len(in_flight) < config.batch_size:
                        continue
                    can_claim = config.batch_size - len(in_flight) >= refill  # then poll for newly due messages
                    done, _ = await asyncio.wait({*in_flight, stopping}, return_when=asyncio.FIRST_COMPLETED,
                                                 timeout=config.poll_seconds if can_claim else None)
                    await self._record_done(in_flight, done)
                if in_flight:  # stopping: let the deliveries under way finish (bounded by their timeout)
                    done, _ = await asyncio.wait(in_flight, timeout=min(self.stop_grace_seconds,
                                                                        config.lease_seconds))
                    await self._record_done(in_flight, done)
            finally:
                stopping.cancel()
                for task in in_flight:  # unfinished: handed back below (or their lease expires)
                    task.cancel()
                if in_flight:
                    await asyncio.gather(*in_flight, return_exceptions=True)
                    await self._hand_back([self._claimed.pop(task) for task in in_flight])
                self._http = None
                await self._close_resources()
        return handled

    async def _hand_back(self, ids: list[int]) -> None:
        """Stopping with deliveries unfinished: make them due again at once for any worker (not after the
        lease), without counting an attempt that was cut short. Handlers are idempotent (at-least-once)."""
        try:
            await M.update({M.status: PENDING, M.locked_until: None, M.locked_by: "", M.attempts: M.attempts - 1,
                            M.next_attempt_at: now()}).where(
                M.id.is_in(ids) & (M.status == SENDING) & (M.locked_by == self.name))
            log.info("worker %s : %s message(s) rendu(s) à la file", self.name, len(ids))
        except Exception:  # their lease expires and they run again
            log.exception("worker %s : messages non rendus, repris après leur bail", self.name)

    async def _close_resources(self) -> None:
        resources, self._resources = self._resources, {}
        for resource in resources.values():
            try:
                if hasattr(resource, "aclose"):
                    await resource.aclose()
            except Exception:
                log.warning("worker %s : fermeture de %r impossible", self.name, resource, exc_info=True)

    async def _record_done(self, in_flight: set[asyncio.Task[Outcome]], done: set[Any]) -> None:
        finished = [task for task in done if task in in_flight]
        in_flight.difference_update(finished)
        for task in finished:
            self._claimed.pop(task, None)
        outcomes = []
        for task in finished:
            if task.exception() is not None:
                log.error("worker %s : échec inattendu", self.name, exc_info=task.exception())
            else:
                outcomes.append(task.result())
        try:
            await self.record(outcomes)
        except Exception:  # not recorded: the lease expires and these messages run again (at-least-once)
            log.exception("worker %s : issues non enregistrées", self.name)
