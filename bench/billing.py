"""Monthly billing figures: 5 000 organisations × 3 offices × 2 monthly modules (issue 19).

    .venv/bin/python bench/billing.py [--db sqlite|postgres|postgres-url] [--orgs 5000] [--pdfs 300]

The data is inserted in bulk (one activation order per organisation, six lines), then `billing.run_month`
bills the month through the real code (one transaction per organisation: lock, idempotency check, counter,
invoice, lines, the orders marked invoiced, the PDF job queued), a second run shows the idempotent rerun's
cost, and `--pdfs` of the queued PDF jobs are run through the job's function (Typst render, stored as a core
document) to give the PDFs' own rate.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core import db
from core.modules.catalog import Catalog, ModuleInfo
from core.plugin_api.manifest import Billing
from core.plugins.records import PluginStatus

BATCH = 200  # 200 × 6 order lines × 12 columns stays under asyncpg's 32 767 arguments


async def seed(orgs: int) -> None:
    from core.commerce.tables import Order, OrderLine
    from core.tenancy.tables import Office, Organisation

    at = datetime(2026, 10, 10, 9, tzinfo=UTC)
    for start in range(0, orgs, BATCH):
        ids = range(start + 1, min(orgs, start + BATCH) + 1)
        await Organisation.insert(*[Organisation(id=i, slug=f"org-{i}", name=f"Organisation {i}") for i in ids])
        await Office.insert(*[Office(id=(i - 1) * 3 + k + 1, organisation=i, name=f"Bureau {k + 1}")
                              for i in ids for k in range(3)])
        await Order.insert(*[Order(id=i, organisation=i, number=1, status="placed", total_ht=0, total_tva=0,
                                   total_ttc=0, created_at=at) for i in ids])
        await OrderLine.insert(*[
            OrderLine(organisation=i, order=i, office=(i - 1) * 3 + k + 1, source=module, reference="activate",
                      label=module, unit_ht=0, quantity=1, vat_rate=Decimal("0.2"), ht=0, tva=0, ttc=0)
            for i in ids for k in range(3) for module in ("agenda", "rappels")])


async def run(args: argparse.Namespace) -> None:
    from core.documents.storage import FileStorage
    from core.jobs.tables import OutboxMessage
    from core.operators import billing, billing_jobs

    workdir = Path(tempfile.mkdtemp(prefix="socle-billing-"))
    server = None
    if args.db == "postgres":  # a throwaway PostgreSQL server on a free loopback port
        from core.testing.postgres import PostgresServer

        server = PostgresServer.start()
        url = server.create_database("bench")
    else:
        url = args.db if args.db != "sqlite" else f"sqlite:///{workdir / 'bench.sqlite'}"
    engine = db.create_engine(url)
    db.bind(engine, db.all_tables(db.app_configs([])))
    await db.start(engine)
    try:
        await db.migrate([])
        began = time.perf_counter()
        await seed(args.orgs)
        print(f"seed: {args.orgs} organisations × 3 offices × 2 modules in {time.perf_counter() - began:.1f} s")
        catalog = Catalog([ModuleInfo(m, m.title(), "", "1", Decimal("31.00"), Billing.monthly, PluginStatus.ok, ())
                           for m in ("agenda", "rappels")])
        began = time.perf_counter()
        created, _ = await billing.run_month(catalog, "2026-10")
        spent = time.perf_counter() - began
        queued = await OutboxMessage.count().where(OutboxMessage.kind == "job:" + billing.PDF_JOB)
        print(f"billing run 2026-10: {len(created)} invoices ({len(created) * 6} lines, {queued} PDF jobs queued) "
              f"in {spent:.1f} s ({len(created) / spent:.0f} invoices/s, {url.split(':')[0]})")
        began = time.perf_counter()
        again = await billing.run(catalog, "2026-10")
        print(f"rerun (idempotent): {len(again)} new invoices in {time.perf_counter() - began:.1f} s")
        if args.pdfs:
            storage = FileStorage(workdir / "documents")
            await billing.invoice_pdf(1, created[0])  # the compiler is built once per template, as in a worker
            began = time.perf_counter()
            for invoice_id in created[:args.pdfs]:
                await billing_jobs.render_invoice_pdf(invoice_id, storage)
            spent = time.perf_counter() - began
            rate = min(args.pdfs, len(created)) / spent
            print(f"invoice PDF jobs (render + core document): {min(args.pdfs, len(created))} in {spent:.1f} s "
                  f"({rate:.0f}/s; {len(created) / rate:.0f} s of worker time for all {len(created)}, queued at "
                  f"{billing.PDF_PER_SECOND}/s)")
    finally:
        await db.stop(engine)
        if server is not None:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="sqlite")
    parser.add_argument("--orgs", type=int, default=5000)
    parser.add_argument("--pdfs", type=int, default=300)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
