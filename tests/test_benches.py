"""Every benchmark under bench/ still runs, on tiny sizes: nothing here reads its figures (timings are for the
notes, never asserted), but a bench that no longer starts is found by the CI rather than by the next person
who needs its numbers (stop 30 found three broken ones: servers.py, booking_events.py, cqc.py)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.nodb  # each bench makes its own databases: run once, in the SQLite half

ROOT = Path(__file__).resolve().parents[1]

# (script, tiny arguments, a line of its report that shows it went to the end)
BENCHES = [
    ("api_reads.py", ["--seconds", "1", "--rounds", "1"], "per-run ratios"),
    ("billing.py", ["--orgs", "20", "--pdfs", "2"], "invoice PDF jobs"),
    ("booking.py", ["--agents", "5", "--bookings", "20"], "double bookings: 0"),
    ("booking_events.py", ["--bookings", "10"], "audit entries written: 40 (expected 40)"),
    ("cluster.py", ["--seconds", "2", "--clients", "2", "--emails", "20"], "duplicate deliveries           0"),
    ("cqc.py", ["--lines", "50", "--documents", "2"], "documents rendered by one worker"),
    ("documents.py", ["--documents", "10", "--fpdf", "2", "--homes", "3"], "« Mon espace » home"),
    ("exams.py", [], "booking through the service"),
    ("national.py", ["--scale", "0.001", "--repeat", "3", "--requests", "2", "--messages", "50"],
     "worker drains 50 messages"),
    ("national_sqlite.py", ["--scale", "0.002", "--requests", "2", "--messages", "20"], "purge (SQLite)"),
    ("observability.py", ["--requests", "50", "--rounds", "1"], "+ metrics"),
    ("outbox.py", ["-n", "50", "--db", "sqlite"], "all signatures valid"),
    ("plugins.py", ["--plugins", "2", "--requests", "20", "--orders", "3"],
     "concurrent checkouts of one cart: 1 order"),
    ("rdv.py", ["--agents", "5", "--requests", "3", "--bookings", "10", "--concurrency", "2"], "double bookings: 0"),
    ("rdv_planning.py", ["--agents", "5", "--requests", "2"], "5 agent columns + free slots"),
    ("robert.py", ["--steps", "2", "--candidates", "10", "--assign", "5", "--codes", "20"], "candidate list filtered"),
    ("servers.py", ["--seconds", "1", "--rounds", "1"], "granian: GET /api/v1/offices / hello-world"),
    ("slots.py", ["--runs", "1"], "first compact month search"),
]


def test_every_bench_is_listed():
    scripts = {path.name for path in (ROOT / "bench").glob("*.py") if not path.name.startswith("_")}
    helpers = {"__init__.py", "national_http.py"}  # imported by the others, not run alone
    assert scripts - helpers == {script for script, _, _ in BENCHES}


@pytest.mark.parametrize(("script", "arguments", "expected"), BENCHES, ids=[b[0] for b in BENCHES])
def test_bench_runs_to_its_report(script, arguments, expected):
    result = subprocess.run([sys.executable, str(ROOT / "bench" / script), *arguments], cwd=ROOT,
                            capture_output=True, text=True, timeout=240, stdin=subprocess.DEVNULL,
                            env={k: v for k, v in os.environ.items() if not k.startswith(("SOCLE_", "PROMETHEUS_"))})
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    assert expected in result.stdout, result.stdout[-2000:]
