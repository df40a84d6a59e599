"""`make system-packages` (a prerequisite of `make test` and `make bench`) installs through apt-get only what
the machine lacks. Run against a PATH that hides the real tools and a recording apt-get, so nothing is installed."""

import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.nodb

ROOT = Path(__file__).resolve().parents[1]
NO_POSTGRES = "PG_INITDB_GLOB=/nonexistent/*/bin/initdb"


def tool_dir(tmp_path: Path, *present: str, apt: bool = True) -> Path:
    """A PATH directory with make's needs, the `present` tools, a pass-through sudo and (if `apt`) an apt-get
    that records its arguments and environment in apt.log."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    for name in ("make", "ls", "id", "env", "sh", *present):
        (bindir / name).symlink_to(shutil.which(name) or f"/usr/bin/{name}")
    (bindir / "sudo").write_text('#!/bin/sh\nexec "$@"\n')
    if apt:
        (bindir / "apt-get").write_text(f'#!/bin/sh\necho "$DEBIAN_FRONTEND $*" >> {tmp_path}/apt.log\n')
    for script in bindir.iterdir():
        if not script.is_symlink():
            script.chmod(0o755)
    return bindir


def make(bindir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["make", "--no-print-directory", "-C", str(ROOT), "system-packages", *args],
                          env={"PATH": str(bindir)}, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          timeout=30, executable=shutil.which("make"))


def test_installs_only_what_is_missing_without_a_question(tmp_path):
    result = make(tool_dir(tmp_path, "chromium"), NO_POSTGRES)
    assert result.returncode == 0, result.stderr
    assert "Paquets système manquants, installation par apt-get : postgresql wrk" in result.stdout
    log = (tmp_path / "apt.log").read_text().splitlines()
    assert log == ["noninteractive update -qq", "noninteractive install -y -qq --no-install-recommends postgresql wrk"]


def test_everything_missing(tmp_path):
    result = make(tool_dir(tmp_path), NO_POSTGRES)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "apt.log").read_text().splitlines()[-1].endswith("chromium postgresql wrk")


def test_initdb_outside_path_counts_as_installed(tmp_path):
    """Debian keeps initdb in /usr/lib/postgresql/<version>/bin, not on PATH."""
    initdb = tmp_path / "lib" / "15" / "bin" / "initdb"
    initdb.parent.mkdir(parents=True)
    initdb.touch()
    result = make(tool_dir(tmp_path, "chromium", "wrk"), f"PG_INITDB_GLOB={tmp_path}/lib/*/bin/initdb")
    assert result.returncode == 0, result.stderr
    assert "Paquets système présents" in result.stdout
    assert not (tmp_path / "apt.log").exists()


def test_without_apt_get_says_what_to_install(tmp_path):
    result = make(tool_dir(tmp_path, "chromium", "initdb", apt=False), "PG_INITDB_GLOB=/nonexistent")
    assert result.returncode != 0
    assert "apt-get introuvable : installez vous-même wrk." in result.stderr


def fake_venv(tmp_path: Path) -> Path:
    """A venv whose `socle` records each call in socle.log; `socle sim tous` stays up until it is stopped (and
    records that); `socle serve` returns at once, as if the person pressed Ctrl-C."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").touch()
    (venv / ".installed").touch()  # newer than pyproject.toml: nothing to install
    log = tmp_path / "socle.log"
    (venv / "bin" / "socle").write_text(
        "#!/bin/sh\n"
        f'echo "$*" >> {log}\n'
        'if [ "$*" = "sim tous" ]; then\n'
        f'  trap \'echo "sim tous arrêté" >> {log}; exit 0\' TERM\n'
        "  while :; do sleep 0.05; done\n"
        "fi\n"
        'if [ "$1" = "serve" ]; then sleep "${FAKE_SERVE_SECONDS:-0.3}"; fi\n')
    (venv / "bin" / "socle").chmod(0o755)
    return venv


def make_run(tmp_path: Path, serve_seconds: float = 0.3) -> subprocess.Popen[str]:
    bindir = tool_dir(tmp_path, "sleep")
    venv = fake_venv(tmp_path)
    return subprocess.Popen(["make", "--no-print-directory", "-C", str(ROOT), "run", f"VENV={venv}", "PORT=8123"],
                            env={"PATH": str(bindir), "SOCLE_DATA_DIR": str(tmp_path / "data"),
                                 "FAKE_SERVE_SECONDS": str(serve_seconds)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL,
                            executable=shutil.which("make"), start_new_session=True)


def test_run_starts_the_simulators_before_the_demo_and_stops_them_after(tmp_path):
    run = make_run(tmp_path)
    _, stderr = run.communicate(timeout=30)
    assert run.returncode == 0, stderr
    calls = (tmp_path / "socle.log").read_text().splitlines()
    assert "sim tous" in calls  # started in the background first (logged whenever the scheduler lets it)
    rest = [c for c in calls if c != "sim tous"]
    assert rest == ["migrate", "sim attendre", "demo --if-empty", "serve --port 8123", "sim tous arrêté"]


def test_ctrl_c_on_run_stops_the_simulators(tmp_path):
    """Ctrl-C reaches the whole foreground group: `socle serve` stops, and so do the simulators (the trap)."""
    import os
    import signal
    import time

    run = make_run(tmp_path, serve_seconds=30)
    log = tmp_path / "socle.log"
    deadline = time.monotonic() + 20
    while "serve --port 8123" not in (log.read_text() if log.exists() else "") and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(run.pid, signal.SIGINT)
    run.communicate(timeout=20)
    assert run.returncode != 0  # interrupted
    assert log.read_text().splitlines()[-1] == "sim tous arrêté"
