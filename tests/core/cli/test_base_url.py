"""`PORT=8401 make run`: links in emails, SMS and the public page's « Lien unique » follow the port served
on, unless SOCLE_BASE_URL says otherwise."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from core.cli import serve_settings
from core.config import Settings

pytestmark = pytest.mark.nodb


def test_base_url_follows_port_unless_set(tmp_path):
    base = {"SOCLE_DATA_DIR": str(tmp_path)}
    assert Settings.from_env(base).base_url == "http://127.0.0.1:8000"
    assert Settings.from_env({**base, "PORT": "8401"}).base_url == "http://127.0.0.1:8401"
    assert Settings.from_env({**base, "PORT": "8401", "SOCLE_BASE_URL": "https://rdv.example/"}).base_url \
        == "https://rdv.example"
    settings = Settings.from_env(base)
    assert serve_settings(settings, "127.0.0.1", 8401, {}).base_url == "http://127.0.0.1:8401"
    assert serve_settings(settings, "0.0.0.0", 9000, {}).base_url == "http://127.0.0.1:9000"
    assert serve_settings(settings, "127.0.0.1", 8401, {"SOCLE_BASE_URL": "https://x"}) is settings


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_served_password_reset_link_carries_the_port(tmp_path):
    """A real `socle serve --port N`: the reset email written by the server links to port N."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("SOCLE_BASE_URL", "PORT")}
    env |= {"SOCLE_DATA_DIR": str(tmp_path), "SOCLE_DATABASE_URL": f"sqlite:///{tmp_path}/serve.sqlite"}
    for args in (["migrate"], ["create-user", "agent@example.org", "mot-de-passe-solide"]):
        subprocess.run([sys.executable, "-m", "core.cli", *args], env=env, check=True, capture_output=True,
                       timeout=60)
    server = subprocess.Popen([sys.executable, "-m", "core.cli", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for _ in range(100):
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/password/forgot", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("server did not start")
        html = page.read().decode()
        cookie = page.headers["set-cookie"].split(";")[0]
        token = html.split('name="_csrf_token" value="', 1)[1].split('"', 1)[0]
        form = f"email=agent%40example.org&_csrf_token={token}".encode()
        request = urllib.request.Request(f"http://127.0.0.1:{port}/password/forgot", data=form, headers={
            "Cookie": cookie, "Referer": f"http://127.0.0.1:{port}/password/forgot"})
        urllib.request.urlopen(request, timeout=10)
    finally:
        server.terminate()
        server.wait(timeout=10)
    subprocess.run([sys.executable, "-m", "core.cli", "worker", "--once"], env=env, check=True,
                   capture_output=True, timeout=60)
    mails = [p.read_text() for p in (tmp_path / "mail").glob("*.eml")]
    assert mails and f"http://127.0.0.1:{port}/password/reset/" in mails[0]
