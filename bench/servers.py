"""uvicorn against granian for this app: requests/s on a bare hello-world, GET /api/v1/offices (Bearer) and the
public slot page of the demo (rdv_service_public), one worker process each (pinned to CPU 0), wrk on CPU 1,
SQLite with the demo data; the servers alternate for a few rounds, medians and ranges are printed, with the
server's CPU time per request (its process and children: less noisy than requests/s on a shared machine).
Usage: .venv/bin/python bench/servers.py [--seconds 5] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:1] = [str(ROOT)]

from bench.api_reads import free_port, launch, load, tree_cpu_seconds  # noqa: E402

SERVERS = {
    "uvicorn": lambda factory, port: [sys.executable, "-m", "uvicorn", "--factory", factory, "--port", str(port),
                                      "--log-level", "warning", "--no-access-log"],
    "granian": lambda factory, port: [sys.executable, "-m", "granian", "--interface", "asgi", "--factory",
                                      "--port", str(port), "--workers", "1", "--loop", "uvloop",
                                      "--log-level", "warning", "--no-access-log", factory],
}


def start(server: str, factory: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return launch(SERVERS[server](factory, port), env, f"http://127.0.0.1:{port}/healthz")


def demo_paths(base: str) -> tuple[str, str]:
    """A Bearer token of the demo owner, and the path of a public slot page."""
    body = json.dumps({"email": "gerant@tilleuls.example", "password": "socle-demo-2026"}).encode()
    request = urllib.request.Request(f"{base}/api/v1/auth/token", data=body,
                                     headers={"Content-Type": "application/json"})
    token = json.load(urllib.request.urlopen(request))["token"]
    public = "/public/o/mairie-de-saint-vallier/m/rdv_service_public/"
    page = urllib.request.urlopen(base + public).read().decode()
    motif = re.search(r'href="([^"]*/motifs/[^"/]+)"', page).group(1)
    return token, (motif if motif.startswith("/") else public + motif) + "/creneaux"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="socle-bench-servers-"))
    env = {**os.environ, "SOCLE_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT), "SOCLE_RUN_WORKER": "0",
           "SOCLE_DATABASE_URL": f"sqlite:///{data_dir}/socle.sqlite"}
    for command in (["migrate"], ["demo"]):
        subprocess.run([sys.executable, "-m", "core.cli", *command], env=env, check=True, capture_output=True)
    results: dict[tuple[str, str], list[float]] = {}
    cpu: dict[tuple[str, str], list[float]] = {}  # µs of server CPU per request
    token = slot_path = ""
    try:
        for _ in range(args.rounds):
            for server in SERVERS:
                hello_port, app_port = free_port(), free_port()
                hello = start(server, "bench._apps:hello_app", hello_port, env)
                app = start(server, "bench._apps:socle_app", app_port, env)
                processes = [hello, app]
                try:
                    if not token:
                        token, slot_path = demo_paths(f"http://127.0.0.1:{app_port}")
                    targets = [("hello-world", f"http://127.0.0.1:{hello_port}/hello", {}),
                               ("GET /api/v1/offices", f"http://127.0.0.1:{app_port}/api/v1/offices",
                                {"Authorization": f"Bearer {token}"}),
                               ("public slot page", f"http://127.0.0.1:{app_port}{slot_path}", {})]
                    for (name, url, headers), process in zip(targets, [hello, app, app], strict=True):
                        load(url, 1, headers)  # warm-up
                        before = tree_cpu_seconds(process.pid)
                        rate, count = load(url, args.seconds, headers)
                        results.setdefault((name, server), []).append(rate)
                        cpu.setdefault((name, server), []).append(
                            (tree_cpu_seconds(process.pid) - before) / max(count, 1) * 1e6)
                finally:
                    for process in processes:
                        process.terminate()
                        process.wait()
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    print(f"{'':<22}" + "".join(f"{server:>44}" for server in SERVERS))
    for name in dict.fromkeys(n for n, _ in results):
        cells = []
        for server in SERVERS:
            values = results[(name, server)]
            cells.append(f"{statistics.median(values):>8.0f} req/s ({min(values):.0f}–{max(values):.0f}), "
                         f"{statistics.median(cpu[(name, server)]):.0f} µs CPU")
        print(f"{name:<22}" + "".join(f"{cell:>44}" for cell in cells))
    for server in SERVERS:
        ratios = [s / h for h, s in zip(results[("hello-world", server)], results[("GET /api/v1/offices", server)],
                                        strict=True)]
        print(f"{server}: GET /api/v1/offices / hello-world {statistics.median(ratios):.2f} "
              f"(range {min(ratios):.2f}–{max(ratios):.2f})")


if __name__ == "__main__":
    main()
