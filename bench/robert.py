"""certification_robert figures, in-process on a fresh SQLite database (the services the routes call):

    .venv/bin/python bench/robert.py [--steps 30] [--candidates 1000] [--assign 500] [--codes 10000]
                                     [--results 1000] [--list 10000] [--orders 10]

* candidates created through the three required steps (Identité, Mot de passe — PBKDF2 200 000 rounds —,
  Informations), per second;
* one assignment action for `--assign` candidates: La Poste (each convocation with its ICS queued on the
  outbox in the transaction) and supervised (activation codes drawn, unique index);
* `--codes` activation codes drawn (and checked distinct), and the PDF sheet of a `--candidates` session;
* a results CSV of `--results` lines imported (parse, checks, one transaction, attestation jobs and the
  candidates' « résultat disponible » emails queued);
* the filtered candidate list over `--list` candidates (text + status), median of 50;
* `--orders` « Commander »: the request (its write transaction) and the quote job that renders the PDF.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import json
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core import db
from core.config import Settings
from core.testing.fixtures import PASSWORD

DAY = date.today() + timedelta(days=20)
PASSED = date.today() - timedelta(days=1)
FIRST = ["Élodie", "Jean-Pierre", "Zoé", "Mohamed", "Anne-Sophie", "Loïc", "Maëlle", "Hervé"]
LAST = ["Dupont", "N'Diaye", "Lefèvre-Martin", "Çelik", "Da Silva", "Roux", "Bénard", "Le Gall"]


def identity(i: int, prefix: str) -> dict[str, str]:
    return {"civilite": "madame", "nom": LAST[i % 8], "nom_naissance": LAST[i % 8], "prenom": FIRST[i % 8],
            "courriel": f"{prefix}{i}@bench.example", "date_naissance": "1990-04-12",
            "code_postal_naissance": "69001", "commune_naissance": "Lyon", "pays_naissance": "France"}


async def bulk(ctx: object, n: int, prefix: str, status: str = "a_attribuer") -> list[int]:
    """Candidates ready to assign, inserted directly (the step path is measured separately)."""
    from plugins.certification_robert.tables import Candidate

    rows = []
    for start in range(0, n, 500):
        made = await Candidate.insert(*[
            Candidate(organisation=ctx.organisation_id, office=ctx.office_id,  # type: ignore[attr-defined]
                      email=f"{prefix}{i}@bench.example", last_name=LAST[i % 8], first_name=FIRST[i % 8],
                      status=status, data='{"identite": {"date_naissance": "1990-04-12"}}',
                      steps_done='["identite", "mot_de_passe", "informations"]')
            for i in range(start, min(n, start + 500))]).returning(Candidate.id)
        rows += [r["id"] for r in made]
    return rows


async def orders_figures(ctx: object, n: int) -> None:
    """« Commander » `n` times: the request's time (its write transaction) and, apart, the quote job's run (the
    Typst PDF and the email queued), min / median / max, wall and CPU."""
    from core.jobs.tables import OutboxMessage
    from plugins.certification_robert.services import orders

    placed: list[tuple[float, float]] = []
    for _ in range(n):
        started, cpu = time.perf_counter(), time.process_time()
        await orders.place(ctx, {"PART-CLR-EXAMEN": 10, "PART-LAPOSTE-EXAMEN": 10}, secret="s" * 32,  # type: ignore[arg-type]
                           base_url="http://bench.example", sales_email="ventes@bench.example",
                           link_path="/devis/{token}")
        placed.append((time.perf_counter() - started, time.process_time() - cpu))
    jobs: list[tuple[float, float]] = []
    send = getattr(orders, "send_quote", None)
    if send is not None:  # the quote rendered by its job, outside the request's transaction
        rows = await OutboxMessage.select(OutboxMessage.payload).where(
            OutboxMessage.kind == "job:" + orders.QUOTE_JOB)
        for row in rows[:n]:
            payload = row["payload"] if isinstance(row["payload"], dict) else json.loads(row["payload"])
            started, cpu = time.perf_counter(), time.process_time()
            await send(payload)
            jobs.append((time.perf_counter() - started, time.process_time() - cpu))
    for label, figures in ((f"« Commander » ({n} orders): the request", placed), ("  its quote job", jobs)):
        if figures:
            walls, cpus = sorted(f[0] * 1000 for f in figures), sorted(f[1] * 1000 for f in figures)
            print(f"{label:<58} wall {walls[0]:.1f} / {statistics.median(walls):.1f} / {walls[-1]:.1f} ms  "
                  f"CPU {cpus[0]:.1f} / {statistics.median(cpus):.1f} / {cpus[-1]:.1f} ms (min / median / max)")


def timed(label: str, seconds: float, count: int, unit: str, goal: str = "") -> None:
    print(f"{label:<58} {seconds * 1000:9.1f} ms  {count / seconds:10.0f} {unit}/s  {goal}")


async def run(args: argparse.Namespace, workdir: Path) -> None:
    from core.tenancy import services as tenancy
    from core.tenancy.tables import Office
    from core.web import create_app
    from plugins.certification_robert.services import candidates, codes, results_csv, sheets, stock
    from plugins.certification_robert.services.common import Ctx

    settings = Settings(data_dir=workdir / "data", database_url=f"sqlite:///{workdir / 'robert.sqlite'}",
                        secret_key="r" * 32)
    app = create_app(settings, plugins=["certification_robert"])
    for hook in app.on_startup:
        await app._call_lifespan_hook(hook)
    with contextlib.redirect_stdout(io.StringIO()):  # Piccolo prints every migration
        await db.migrate(app.state.plugins.app_modules())
    owner = await tenancy.create_user("gerant@bench.example", PASSWORD)
    organisation = await tenancy.create_organisation("Centre de langues Molière", owner, "Gérant")
    office = await Office.objects().where(Office.organisation == organisation.id).first()
    assert office is not None
    ctx = Ctx(organisation.id, office.id)

    started = time.perf_counter()
    for i in range(args.steps):
        row = await candidates.create(ctx, identity(i, "s"))
        await candidates.save_step(ctx, row.id, "mot_de_passe", {"mot_de_passe": "secret1", "confirmation": "secret1"})
        await candidates.save_step(ctx, row.id, "informations", {"statut": "salarie", "financement": "cpf"})
    timed(f"{args.steps} candidates through the 3 required steps", time.perf_counter() - started, args.steps,
          "candidates")

    await orders_figures(ctx, args.orders)

    poste = await bulk(ctx, args.assign, "p")
    await stock.add(ctx, "laposte", args.assign)
    started = time.perf_counter()
    await stock.assign(ctx, "laposte", DAY.isoformat(), poste, "14:30", "Bureau de poste Lyon Bellecour")
    timed(f"assign {args.assign} at La Poste + {args.assign} convocations queued", time.perf_counter() - started,
          args.assign, "candidates", "(goal ≤ 1 s)")

    centre = await bulk(ctx, args.candidates, "c")
    await stock.add(ctx, "centre", args.candidates)
    started = time.perf_counter()
    session_id, _ = await stock.assign(ctx, "centre", DAY.isoformat(), centre)
    timed(f"assign {args.candidates} supervised (codes drawn, unique index)", time.perf_counter() - started,
          args.candidates, "candidates")

    started = time.perf_counter()
    drawn = codes.activation_codes(args.codes)
    elapsed = time.perf_counter() - started
    assert len(set(drawn)) == args.codes
    timed(f"draw {args.codes} activation codes", elapsed, args.codes, "codes")
    await sheets.codes_pdf(ctx, session_id)  # the compiler is built once per template, as in a server
    started = time.perf_counter()
    pdf = await sheets.codes_pdf(ctx, session_id)
    timed(f"codes PDF sheet of {args.candidates} candidates ({len(pdf) // 1024} KiB)", time.perf_counter() - started,
          args.candidates, "codes", "(goal ≤ 2 s)")

    n = min(args.results, len(centre))
    lines = ["courriel;score;niveau;date"] + [f"c{i}@bench.example;{300 + i % 600};B1;{PASSED:%d/%m/%Y}"
                                             for i in range(n)]
    content = ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()
    started, cpu = time.perf_counter(), time.process_time()
    recorded = await results_csv.import_file(ctx, content)
    assert recorded == n
    timed(f"import a results CSV of {n} lines (+ jobs, candidates' emails)", time.perf_counter() - started, n,
          "lines", f"(CPU {(time.process_time() - cpu) * 1000:.1f} ms)")

    await bulk(ctx, max(0, args.list - args.candidates - args.assign - args.steps), "l")
    durations, cpus = [], []
    for k in range(50):
        started, cpu = time.perf_counter(), time.process_time()
        await candidates.list_candidates(ctx, LAST[k % 8][:4], "a_attribuer")
        durations.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    median = statistics.median(durations)
    print(f"{'candidate list filtered (text + status) over ' + str(args.list):<58} {median * 1000:9.1f} ms  "
          f"(median of 50, CPU median {statistics.median(cpus) * 1000:.1f} ms, goal ≤ 50 ms)")
    for hook in reversed(app.on_shutdown):
        await app._call_lifespan_hook(hook)
    await db.stop(db.engine())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--candidates", type=int, default=1000)
    parser.add_argument("--assign", type=int, default=500)
    parser.add_argument("--codes", type=int, default=10_000)
    parser.add_argument("--results", type=int, default=1000)
    parser.add_argument("--list", type=int, default=10_000)
    parser.add_argument("--orders", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        asyncio.run(run(args, Path(workdir)))


if __name__ == "__main__":
    main()
