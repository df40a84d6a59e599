"""Requests/s of an authenticated, tenant-scoped read (GET /api/v1/offices) vs a bare Litestar hello-world.

Each app runs in its own uvicorn process (both pinned to CPU 0 when possible, loaded one at a time) under wrk
(pinned to CPU 1), on SQLite; the two loads alternate for a few rounds and the medians and ranges are printed,
with the server process's CPU time per request (user + system, from /proc: less noisy than requests/s on a
shared machine, since time the process spends waiting for a core is not counted).
Usage: .venv/bin/python bench/api_reads.py [--seconds 10] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # before bench/ itself, whose plugins.py would hide the plugins package


def free_port() -> int:
    from core.testing.postgres import free_port as port

    return port()


async def seed(data_dir: Path) -> str:
    """10 organisations with 3 offices and 5 members each; returns a token of the first owner."""
    from core import db
    from core.auth.services import create_api_token
    from core.config import Settings
    from core.tenancy import services
    from core.tenancy.actor import Actor
    from core.tenancy.roles import Role

    settings = Settings.from_env({"SOCLE_DATA_DIR": str(data_dir)})
    engine = db.create_engine(settings.database_url)
    db.bind(engine, db.all_tables(db.app_configs()))
    await db.migrate()
    token = ""
    for n in range(10):
        owner = await services.create_user(f"gerant{n}@bench.example", "mot-de-passe-bench")
        organisation = await services.create_organisation(f"Organisation {n}", owner, f"Gérant {n}")
        actor = Actor(owner.id, owner.email, 0, organisation.id, Role.owner, "Gérant")
        for office in range(2):
            await services.save_office(actor, f"Bureau {office}", "", "Europe/Paris")
        for member in range(4):
            await services.invite_member(actor, "basic", f"Agent {member}", f"agent{member}-{n}@bench.example")
        if n == 0:
            token, _ = await create_api_token(owner, organisation.id)
    await db.stop(engine)
    return token


def launch(command: list[str], env: dict[str, str], url: str, seconds: float = 30,
           pin: bool = True) -> subprocess.Popen[bytes]:
    """Start a server process (with `pin`, on core 0 when `taskset` exists, leaving core 1 to the load
    generator) and wait until `url` answers at all."""
    if pin and shutil.which("taskset"):
        command = ["taskset", "-c", "0", *command]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return process
        except urllib.error.HTTPError:  # an error page: it answers
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"{' '.join(command)} did not start")


def serve(factory: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "uvicorn", "--factory", factory, "--port", str(port), "--log-level", "warning",
               "--no-access-log"]
    return launch(command, env, f"http://127.0.0.1:{port}/", seconds=20)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (0 where /proc is missing)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid: int) -> float:
    """CPU time so far of a process and its live children (granian and `socle serve --workers N` run the app
    in child processes)."""
    total = cpu_seconds(pid)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                total += tree_cpu_seconds(int(stat.parent.name))
        except (OSError, ValueError):  # gone meanwhile
            continue
    return total


def load(url: str, seconds: int, headers: dict[str, str]) -> tuple[float, int]:
    """wrk for `seconds`: (requests/s, requests completed)."""
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed (apt-get install wrk)")
    command = ["wrk", "-t1", "-c32", f"-d{seconds}s", "--latency", url]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    if shutil.which("taskset"):
        command = ["taskset", "-c", "1", *command]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in output:
        raise RuntimeError(f"errors while loading {url}:\n{output}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    return rate, int(re.search(r"(\d+) requests in", output).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5, help="alternate the two loads this many times")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="socle-bench-"))
    env = {**os.environ, "SOCLE_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT), "SOCLE_RUN_WORKER": "0"}
    os.environ.update(env)
    token = asyncio.run(seed(data_dir))
    targets = [
        ("hello-world Litestar", "bench._apps:hello_app", "/hello", {}),
        ("GET /api/v1/offices (Bearer, SQLite)", "bench._apps:socle_app", "/api/v1/offices",
         {"Authorization": f"Bearer {token}"}),
    ]
    servers: list[subprocess.Popen[bytes]] = []
    results: dict[str, list[float]] = {name: [] for name, *_ in targets}
    cpu: dict[str, list[float]] = {name: [] for name, *_ in targets}  # µs of server CPU per request
    try:
        urls = []
        for name, factory, path, headers in targets:
            port = free_port()
            servers.append(serve(factory, port, env))
            urls.append((name, f"http://127.0.0.1:{port}{path}", headers))
            load(urls[-1][1], 2, headers)  # warm-up
        for _ in range(args.rounds):  # alternated, so that a busy moment of the machine hits both
            for server, (name, url, headers) in zip(servers, urls, strict=True):
                before = cpu_seconds(server.pid)
                rate, count = load(url, args.seconds, headers)
                results[name].append(rate)
                cpu[name].append((cpu_seconds(server.pid) - before) / max(count, 1) * 1e6)
    finally:
        for server in servers:
            server.terminate()
            server.wait()
    for name, values in results.items():
        print(f"{name:<42} {statistics.median(values):>9.0f} requests/s   (range {min(values):.0f}–{max(values):.0f});"
              f" CPU {statistics.median(cpu[name]):.0f} µs/request (range {min(cpu[name]):.0f}–{max(cpu[name]):.0f})")
    hello, scoped = results.values()
    ratios = [s / h for h, s in zip(hello, scoped, strict=True)]
    print(f"{'ratio (scoped read / hello-world)':<42} {statistics.median(ratios):>9.2f}   "
          f"(range {min(ratios):.2f}–{max(ratios):.2f}, goal >= 0.5 every run, >= 0.6 median)")
    print(f"{'per-run ratios':<42} {' '.join(f'{r:.2f}' for r in ratios)}")
    hello_cpu, scoped_cpu = cpu.values()
    cpu_ratios = [h / s for h, s in zip(hello_cpu, scoped_cpu, strict=True) if s]
    if cpu_ratios:
        print(f"{'ratio of CPU per request (hello / scoped)':<42} {statistics.median(cpu_ratios):>9.2f}   "
              f"(range {min(cpu_ratios):.2f}–{max(cpu_ratios):.2f})")
    shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
