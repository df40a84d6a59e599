"""A throwaway PostgreSQL server for tests: initdb in a temporary folder, a free loopback port.

As root, the server runs as the `postgres` user (PostgreSQL refuses to run as root).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _version_key(path: Path) -> tuple[int, ...]:
    """/usr/lib/postgresql/15/bin/initdb -> (15,); 9.6 sorts below 15 (string order would not)."""
    return tuple(int(part) for part in path.parents[1].name.split(".") if part.isdigit())


def server_bin_dir() -> Path:
    """The folder of the server programs (initdb, pg_ctl): the one of `initdb` on PATH (symlinks resolved),
    else the newest /usr/lib/postgresql/<version>/bin, where Debian installs them off PATH."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=_version_key, reverse=True)
    if candidates:
        return candidates[0].parent
    raise RuntimeError("initdb introuvable : installez PostgreSQL (paquet Debian postgresql)")


def _find_bin(name: str) -> str:
    """A PostgreSQL program from the server's own folder (client and server of one version: pg_dump refuses a
    newer server), else from PATH."""
    candidate = server_bin_dir() / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if found:
        return found
    raise RuntimeError(f"{name} introuvable : installez PostgreSQL (paquet Debian postgresql)")


@dataclass
class PostgresServer:
    directory: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def url_for(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *command], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    @classmethod
    def start(cls) -> PostgresServer:
        directory = Path(tempfile.mkdtemp(prefix="socle-pg-"))
        if os.geteuid() == 0:
            shutil.chown(directory, "postgres", "postgres")
        server = cls(directory=directory, port=free_port())
        data = str(directory / "data")
        server._run(_find_bin("initdb"), "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8",
                    "--locale=C.UTF-8")
        options = (f"-p {server.port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        server._run(_find_bin("pg_ctl"), "-D", data, "-o", options, "-l", str(directory / "log"), "-w", "start")
        return server

    def create_database(self, name: str) -> str:
        self._run(_find_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        return self.url_for(name)

    def stop(self) -> None:
        try:
            self._run(_find_bin("pg_ctl"), "-D", str(self.directory / "data"), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)
