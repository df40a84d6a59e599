"""Outbox throughput: messages/s enqueued, then delivered by the worker to a loopback SMTP server (aiosmtpd)
and to a loopback webhook receiver, on SQLite and on a throwaway PostgreSQL.

    .venv/bin/python bench/outbox.py [-n 2000] [--db sqlite|postgres|both] [--batch 20] [--workers 1]

The receivers run in a separate process so they do not take the worker's CPU; they count what arrives by
idempotency key, and the figures are only printed when every message arrived.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import multiprocessing
import tempfile
import time
from pathlib import Path
from typing import Any

from core import db, jobs, notify
from core.config import Settings, SmtpSettings, WorkerSettings
from core.testing.postgres import PostgresServer

SECRET = "whsec_bench_secret_0123456789"


def serve_receivers(ports: Any, stop: Any, counts: Any) -> None:
    from core.testing.receivers import SmtpReceiver, WebhookReceiver

    with SmtpReceiver() as smtp, WebhookReceiver(secret=SECRET) as hooks:
        ports.put((smtp.port, hooks.url))
        stop.wait()
        counts.put((len(smtp.keys), sum(smtp.keys.values()), len(hooks.keys), sum(hooks.keys.values()),
                    all(d.signature_ok for d in hooks.deliveries)))


async def run_one(label: str, database_url: str, data_dir: Path, smtp_port: int, hook_url: str,
                  count: int, batch: int, workers: int) -> dict[str, float]:
    settings = Settings(data_dir=data_dir, database_url=database_url, secret_key="bench-" + "x" * 30,
                        smtp=SmtpSettings(host="127.0.0.1", port=smtp_port),
                        worker=WorkerSettings(batch_size=batch, poll_seconds=0.05),
                        # the receiver is http://127.0.0.1: allowed here only (the SSRF guard still vets, and pins,
                        # every connection, so its cost is in the figures)
                        webhook_allow_http=True, webhook_allow_private_networks=True)
    engine = db.create_engine(database_url)
    db.bind(engine, db.all_tables(db.app_configs()))  # binds Piccolo's Migration table too
    await db.start(engine)
    figures: dict[str, float] = {}
    try:
        await db.migrate()
        from core.notify.tables import WebhookEndpoint
        from core.tenancy import services

        owner = await services.create_user(f"bench-{label}@example.org", "mot-de-passe-bench")
        organisation = await services.create_organisation(f"Bench {label}", owner, "Bench")
        await WebhookEndpoint(organisation=organisation.id, url=hook_url, events=["*"], secret=SECRET).save()
        for name, enqueue in (
            ("email", lambda n: notify.enqueue_email(f"citoyen{n}@example.org", f"Rendez-vous n° {n}",
                                                     text=f"Bonjour, votre rendez-vous n° {n}.",
                                                     organisation_id=organisation.id)),
            ("webhook", lambda n: notify.emit_event(organisation.id, "booking.created", "booking", {"id": n})),
        ):
            started = time.perf_counter()
            for first in range(0, count, 100):  # transactions of 100 business changes
                async with db.write_transaction():
                    for n in range(first, min(first + 100, count)):
                        await enqueue(n)
            figures[f"{name} enqueue/s"] = count / (time.perf_counter() - started)
            started = time.perf_counter()
            await asyncio.gather(*(jobs.Worker(dataclasses.replace(settings)).run(until_idle=True)
                                   for _ in range(workers)))
            figures[f"{name} delivered/s"] = count / (time.perf_counter() - started)
            sent = await jobs.OutboxMessage.count().where(jobs.OutboxMessage.status == jobs.SENT)
            assert sent == count * (1 if name == "email" else 2), f"{label}: only {sent} messages sent"
    finally:
        await db.stop(engine)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--count", type=int, default=2000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--batch", type=int, default=20, help="messages in flight per worker")
    parser.add_argument("--workers", type=int, default=1, help="workers in this process")
    args = parser.parse_args()

    context = multiprocessing.get_context("spawn")
    ports, stop, counts = context.Queue(), context.Event(), context.Queue()
    receivers = context.Process(target=serve_receivers, args=(ports, stop, counts), daemon=True)
    receivers.start()
    smtp_port, hook_url = ports.get(timeout=30)
    results: dict[str, dict[str, float]] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="socle-bench-") as tmp:
            if args.db in ("sqlite", "both"):
                results["sqlite"] = asyncio.run(run_one("sqlite", f"sqlite:///{tmp}/bench.sqlite", Path(tmp),
                                                        smtp_port, hook_url, args.count, args.batch, args.workers))
            if args.db in ("postgres", "both"):
                server = PostgresServer.start()
                try:
                    url = server.create_database("bench")
                    results["postgres"] = asyncio.run(run_one("postgres", url, Path(tmp), smtp_port, hook_url,
                                                              args.count, args.batch, args.workers))
                finally:
                    server.stop()
        stop.set()
        smtp_unique, smtp_total, hook_unique, hook_total, signatures_ok = counts.get(timeout=30)
    finally:
        stop.set()
        receivers.join(timeout=10)
        if receivers.is_alive():
            receivers.terminate()
    runs = len(results)
    assert smtp_unique == args.count * runs and hook_unique == args.count * runs, "messages missing at the receiver"
    assert signatures_ok, "a webhook signature did not verify"
    print(f"{args.count} messages per channel, batch {args.batch}, {args.workers} worker(s) in one process")
    for label, figures in results.items():
        print(f"  {label:<9}" + "  ".join(f"{name}: {value:,.0f}" for name, value in figures.items()))
    print(f"  receivers: {smtp_total} emails ({smtp_unique} distinct keys), "
          f"{hook_total} webhooks ({hook_unique} distinct keys), all signatures valid")


if __name__ == "__main__":
    main()
