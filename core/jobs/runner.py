"""Running a worker: as its own process (`socle worker`) or as a task inside the web process."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Sequence

from core import db
from core.config import Settings
from core.jobs.registry import Registry
from core.jobs.worker import Worker

log = logging.getLogger("socle.worker")


class BackgroundWorker:
    """A worker task in the current event loop (the app starts it when `settings.run_worker`)."""

    def __init__(self, settings: Settings, registry: Registry | None = None) -> None:
        self.worker = Worker(settings, registry)
        self._stop = asyncio.Event()
        self._task: asyncio.Task[int] | None = None

    def start(self) -> None:
        self._stop = asyncio.Event()
        self._task = asyncio.create_task(self.worker.run(self._stop), name="socle-worker")

    async def stop(self, grace_seconds: float = 5.0) -> None:
        if self._task is None:
            return
        self.worker.stop_grace_seconds = grace_seconds  # then unfinished messages are handed back to the queue
        self._stop.set()
        try:
            await asyncio.wait_for(self._task, timeout=grace_seconds + 10)
        except TimeoutError:  # unfinished messages stay leased and are picked up again later
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._task = None


async def run_worker_process(settings: Settings, registry: Registry | None = None, *, once: bool = False,
                             app_modules: Sequence[str] = ()) -> int:
    """`socle worker`: bind the database (core and `app_modules` of plugins), deliver until SIGTERM/SIGINT
    (or, with `once`, until idle)."""
    engine = db.create_engine(settings.database_url)
    db.bind(engine, db.all_tables(db.app_configs(app_modules)))
    await db.start(engine)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    worker = Worker(settings, registry)
    log.info("worker %s démarré", worker.name)
    try:
        return await worker.run(stop, until_idle=once)
    finally:
        await db.stop(engine)
