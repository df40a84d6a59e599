"""`socle serve`: the web app in one or several processes, with a graceful stop.

- `--workers N` starts N app processes on one port (uvicorn's supervisor). On PostgreSQL any number; on
  SQLite only one, since SQLite has a single writer: more is refused with a French message.
- SIGTERM (systemd, a deploy) or Ctrl-C: the port stops accepting, requests under way finish (up to
  `GRACEFUL_SECONDS`), then the app's shutdown stops the in-process outbox worker, which lets its deliveries
  finish for a few seconds and hands back the rest to the queue (due again at once, for any worker).
- Several processes on one machine share their metrics through `PROMETHEUS_MULTIPROC_DIR` (a folder under
  the data dir, emptied at start), so /metrics adds up the counters of all of them.
"""

from __future__ import annotations

import os
import shutil

from litestar import Litestar

from core.config import Settings
from core.errors import SocleError
from core.ops.logs import configure_logging, logging_config

GRACEFUL_SECONDS = 30
WORKER_GRACE_SECONDS = 5.0


class TooManyProcesses(SocleError):
    status_code = 400


def app_from_env() -> Litestar:
    """The app of one server process (`uvicorn --factory core.ops.serve:app_from_env`)."""
    from core.web import create_app

    return create_app(Settings.from_env())


def check_workers(settings: Settings, workers: int) -> None:
    if workers < 1:
        raise TooManyProcesses("Le nombre de processus (--workers) doit être au moins 1.")
    if workers > 1 and not settings.is_postgres:
        raise TooManyProcesses(
            f"Avec SQLite, un seul processus écrit dans la base : « socle serve » n'en lance qu'un "
            f"(vous en demandez {workers}). Pour plusieurs processus, utilisez PostgreSQL "
            "(SOCLE_DATABASE_URL=postgresql://…).")


def _shared_metrics_dir(settings: Settings) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return
    folder = settings.data_dir / "prometheus"
    shutil.rmtree(folder, ignore_errors=True)  # counters of a previous run would be added up otherwise
    folder.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)


SERVERS = ("granian", "uvicorn")


def serve(settings: Settings, *, host: str, port: int, workers: int = 1, access_log: bool = False,
          server: str = SERVERS[0]) -> None:
    check_workers(settings, workers)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    configure_logging(settings, access_log=access_log)
    if workers > 1:
        _shared_metrics_dir(settings)
    print(f"Socle écoute sur http://{host}:{port} ({workers} processus, {server})", flush=True)
    if server == "granian":
        _granian(settings, host, port, workers, access_log)
        return
    import uvicorn

    uvicorn.run("core.ops.serve:app_from_env", factory=True, host=host, port=port, workers=workers,
                log_config=logging_config(settings, access_log=access_log), access_log=False,
                timeout_graceful_shutdown=GRACEFUL_SECONDS)


def _granian(settings: Settings, host: str, port: int, workers: int, access_log: bool) -> None:
    import multiprocessing

    from granian import Granian
    from granian.constants import Interfaces, Loops

    # Fresh worker processes (granian forks by default): a forked child would keep this process's metric
    # values in memory instead of the shared PROMETHEUS_MULTIPROC_DIR.
    multiprocessing.set_start_method("spawn", force=True)
    Granian("core.ops.serve:app_from_env", factory=True, address=host, port=port, interface=Interfaces.ASGI,
            workers=workers, loop=Loops.uvloop, log_dictconfig=logging_config(settings, access_log=access_log),
            workers_kill_timeout=GRACEFUL_SECONDS + 10).serve()
