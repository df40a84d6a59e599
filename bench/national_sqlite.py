"""bench/national.py on SQLite (the one-machine engine), at a scale that fits: the same deterministic rows,
streamed into `executemany` in one transaction per table, then the HTTP measures beside vs alone and the
retention purge's rows/s (no concurrent writer: SQLite serialises writers by design).

    .venv/bin/python bench/national_sqlite.py [--scale 0.05] [--requests 20] [--messages 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import national
from bench import national_http as http
from core import db
from core.retention import RetentionSettings, purge_all


def _text(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """Timestamps as Piccolo stores them on SQLite (ISO text), so the purge's comparisons hold."""
    return tuple(value.isoformat() if hasattr(value, "isoformat") else value for value in row)


def generate(path: Path, scale: float) -> dict[str, float]:
    connection = sqlite3.connect(path)
    rates: dict[str, float] = {}
    for table, columns, records in national.tables(scale):
        started = time.perf_counter()
        counted = [0]

        def stream(records: Any = records, counted: list[int] = counted) -> Any:
            for record in records:
                counted[0] += 1
                yield _text(record)

        with connection:
            connection.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                                   f"({', '.join('?' * len(columns))})", stream())
        rates[table] = counted[0] / (time.perf_counter() - started)
    connection.execute("ANALYZE")
    connection.close()
    return rates


async def purge(url: str) -> tuple[int, float]:
    engine = db.create_engine(url)
    db.bind(engine, db.all_tables(db.app_configs()))
    await db.start(engine)
    try:
        report = await purge_all(RetentionSettings(), now=national.NOW)
    finally:
        await db.stop(engine)
    return report.total, report.total / max(report.seconds, 1e-9)


async def run(args: argparse.Namespace) -> None:
    with http.new_targets(("alone", ""), ("national", "")) as targets:
        await measure(targets, args)


async def measure(targets: list[http.Target], args: argparse.Namespace) -> None:
    for target in targets:
        target.url = f"sqlite:///{target.data_dir / 'socle.sqlite'}"
        await http.seed_organisation(target, args.agents)
    started = time.perf_counter()
    rates = generate(targets[1].data_dir / "socle.sqlite", args.scale)
    print(f"SQLite: generated scale {args.scale:g} in {time.perf_counter() - started:.1f} s; rows/s:")
    for table, rate in rates.items():
        print(f"  {table:24} {rate:10.0f}")
    size = (targets[1].data_dir / "socle.sqlite").stat().st_size
    print(f"  database file            {size / 2**20:.0f} MiB")
    await national.http_measures(targets, args)
    rows, rate = await purge(targets[1].url)
    print(f"\npurge (SQLite): {rows} rows at {rate:.0f} rows/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=0.05)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--agents", type=int, default=10)
    parser.add_argument("--messages", type=int, default=2000)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
