"""formation_cqc figures: a 10 000-line XLSX registration read and verified (goal ≤ 2 s), and the driver
documents rendered by one worker (goal ≥ 50 per second; summary + certificate count as two).

    .venv/bin/python bench/cqc.py [--lines 10000] [--documents 200]

Verification is the real path minus the database: `files.read_xlsx` (python-calamine) then
`check_registration` with set look-ups standing in for the two queries (already registered, has an
account). Rendering goes through core's Typst helper (`render_pdf_sync`), without storing the files.
The import commit is `registrations.import_lines` on a fresh SQLite database (the controls again, with the
already-registered query, then the registration and its lines in one transaction).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.documents.pdf import render_pdf_sync
from plugins.formation_cqc.services import documents, files
from plugins.formation_cqc.services.controls import check_registration
from plugins.formation_cqc.services.rules import Agrement, Sector, TrainingType

ORG = {"name": "Centre de formation Routes du Rhône", "address": "12 quai Perrache, 69002 Lyon"}
END = date(2026, 6, 15)
AGREMENTS = [Agrement(TrainingType.fco, Sector.marchandises, "AG-69-001", date(2025, 1, 1), date(2027, 12, 31))]
FIRST = ["Élodie", "Jean-Pierre", "Zoé", "Mohamed", "Anne-Sophie", "Loïc", "Maëlle", "Hervé"]
LAST = ["Dupont", "N'Diaye", "Lefèvre-Martin", "Çelik", "Da Silva", "Roux", "Bénard", "Le Gall"]


def sheet(lines: int) -> bytes:
    rows = [files.HEADER]
    for i in range(lines):
        birth = date(1960, 1, 1) + timedelta(days=(i * 37) % 14000)
        names = [FIRST[i % 8], LAST[(i // 8) % 8]]
        rows.append([f"REF{i}", "COM2026-06", *names, birth.strftime("%d/%m/%Y"), f"{i:012d}"])
    return files.write_xlsx(rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--documents", type=int, default=200)
    args = parser.parse_args()
    data = sheet(args.lines)
    started = time.perf_counter()
    lines = files.read_xlsx(data)
    read = time.perf_counter() - started
    report = check_registration(
        TrainingType.fco, END, lines, agrements=AGREMENTS, today=date(2026, 12, 1),
        already_registered=lambda keys: set(), has_account=lambda keys: set(keys[::2]),
    )
    total = time.perf_counter() - started
    assert report.ok, report.errors[:3]
    print(f"verify {args.lines} lines XLSX ({len(data) // 1024} KiB): read {read:.2f} s, read+check {total:.2f} s "
          f"(goal ≤ 2 s), {len(report.warnings)} no-account warnings")

    with tempfile.TemporaryDirectory() as workdir:
        asyncio.run(commit(lines, Path(workdir)))

    session = documents.Session(TrainingType.fco, "FCO marchandises", END, "AG-69-001")
    clean = [line for line in report.lines if line is not None]
    render_pdf_sync(documents.SUMMARY_TEMPLATE, documents.summary_context(session, clean[0], END), ORG)  # warm
    render_pdf_sync(documents.CERTIFICATE_TEMPLATE, documents.certificate_context(session, clean[0], END), ORG)
    started = time.perf_counter()
    for line in clean[: args.documents // 2]:
        render_pdf_sync(documents.SUMMARY_TEMPLATE, documents.summary_context(session, line, END), ORG)
        render_pdf_sync(documents.CERTIFICATE_TEMPLATE, documents.certificate_context(session, line, END), ORG)
    elapsed = time.perf_counter() - started
    count = 2 * len(clean[: args.documents // 2])
    print(f"documents rendered by one worker: {count} in {elapsed:.2f} s = {count / elapsed:.0f}/s (goal ≥ 50/s, "
          "rendering only, not stored)")


async def commit(lines: list, workdir: Path) -> None:  # type: ignore[type-arg]
    from core import db
    from core.config import Settings
    from core.tenancy import services
    from core.tenancy.tables import Member, Office
    from core.web import create_app
    from plugins.formation_cqc.services import registrations

    settings = Settings(data_dir=workdir, database_url=f"sqlite:///{workdir / 'cqc.sqlite'}", secret_key="c" * 32)
    app = create_app(settings, plugins=["formation_cqc"])
    for hook in app.on_startup:
        await app._call_lifespan_hook(hook)
    await db.migrate(app.state.plugins.app_modules())
    owner = await services.create_user("gerant@centre-bench.example", "mot-de-passe-bench")
    centre = await services.create_organisation("Centre de formation bench", owner, "Gérant")  # the outbox and the
    office = await Office.objects().where(Office.organisation == centre.id).first()  # registration point to them
    member = await Member.objects().where(Member.organisation == centre.id).first()
    started = time.perf_counter()
    report, registration_id = await registrations.import_lines(
        TrainingType.fco, "FCO marchandises", END, lines, "fichier", centre.id, office.id, member.id, AGREMENTS,
        date(2026, 12, 1))
    elapsed = time.perf_counter() - started
    assert registration_id is not None, report.errors[:3]
    print(f"import commit {len(lines)} lines (controls + one transaction, SQLite): {elapsed:.2f} s (goal ≤ 3 s)")
    for hook in reversed(app.on_shutdown):
        await app._call_lifespan_hook(hook)
    await db.stop(db.engine())


if __name__ == "__main__":
    main()
