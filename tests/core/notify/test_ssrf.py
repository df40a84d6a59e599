"""Webhooks cannot be aimed at the server's own network (SSRF): with the production settings, URLs whose host is
an internal IP literal (loopback, private, link-local / cloud metadata, IPv4-mapped…) or localhost are refused
at registration (API 422 naming `url`, French message on the page, nothing stored); at delivery the host is
resolved, any internal address refuses the delivery (dead letter with a French reason, the receiver never
called) and the connection goes to the vetted address itself. Public names are accepted."""

from __future__ import annotations

import dataclasses
import datetime
import ipaddress
import re
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from core import jobs, notify
from core.config import Settings
from core.jobs.tables import OutboxMessage
from core.notify.egress import ForbiddenDestination, UrlPolicy, forbidden_reason, url_problem, vet
from core.notify.pinned_http import vetted_client
from core.notify.tables import WebhookEndpoint
from core.testing.fixtures import api_token, login, submit
from core.testing.receivers import WebhookReceiver

SECRET = "whsec_ssrf_secret_1234567890"
STRICT, HTTP_OK, OPEN = UrlPolicy(), UrlPolicy(allow_http=True), UrlPolicy(allow_http=True, allow_private=True)


@pytest.fixture
def settings(settings):
    """The production defaults (the notify conftest allows loopback receivers; not here)."""
    return dataclasses.replace(settings, webhook_allow_http=False, webhook_allow_private_networks=False)


# -- address and URL rules (no database, no network) ----------------------------------------------


@pytest.mark.nodb
@pytest.mark.parametrize("address", [
    "127.0.0.1", "127.255.0.9", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.0.1",
    "0.0.0.0", "224.0.0.1", "255.255.255.255", "192.0.2.10", "::1", "::", "fc00::1", "fd12:3456::1", "fe80::1",
    "ff02::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.1.2.3", "2002:7f00:1::1", "2001:db8::1",
])
def test_internal_addresses_are_forbidden(address):
    assert forbidden_reason(ipaddress.ip_address(address)) is not None


@pytest.mark.nodb
@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:93.184.216.34"])
def test_public_addresses_are_allowed(address):
    assert forbidden_reason(ipaddress.ip_address(address)) is None


@pytest.mark.nodb
@pytest.mark.parametrize(("url", "policy", "expected"), [
    ("https://hooks.exemple.fr/socle", STRICT, None),
    ("https://93.184.216.34:8443/h", STRICT, None),
    ("http://hooks.exemple.fr/socle", STRICT, "doit commencer par https://"),
    ("http://hooks.exemple.fr/socle", HTTP_OK, None),
    ("https://alice:motdepasse@hooks.exemple.fr/", STRICT, "identifiants"),
    ("https://jeton@hooks.exemple.fr/", STRICT, "identifiants"),
    ("http://127.0.0.1/hook", HTTP_OK, "127.0.0.1 (adresse de bouclage)"),
    ("http://10.0.0.1/hook", HTTP_OK, "10.0.0.1 (réseau privé)"),
    ("http://[::1]/hook", HTTP_OK, "::1 (adresse de bouclage)"),
    ("http://169.254.169.254/latest/meta-data/", HTTP_OK, "métadonnées du cloud"),
    ("https://[::ffff:127.0.0.1]/", STRICT, "adresse de bouclage"),
    ("https://[fe80::1%25eth0]/", STRICT, "lien-local"),
    ("https://2130706433/", STRICT, "127.0.0.1 (adresse de bouclage)"),  # 127.0.0.1 as one number
    ("https://0x7f.1/", STRICT, "127.0.0.1 (adresse de bouclage)"),
    ("https://LOCALHOST./", STRICT, "localhost (adresse de bouclage)"),
    ("https://api.localhost/", STRICT, "machine interne"),
    ("http://127.0.0.1:8000/hook", OPEN, None),
    ("ftp://hooks.exemple.fr/", OPEN, "URL http:// ou https:// complète"),
    ("https://hooks.exemple.fr:99999/", OPEN, "URL http:// ou https:// complète"),
])
def test_url_rules(url, policy, expected):
    problem = url_problem(url, policy)
    assert problem is None if expected is None else expected in (problem or "")


@pytest.mark.nodb
def test_vetting_refuses_a_name_if_any_resolved_address_is_internal():
    assert vet("hooks.exemple.fr", ["93.184.216.34", "2606:4700::6810:84e5"], STRICT) == [
        "93.184.216.34", "2606:4700::6810:84e5"]
    for resolved in (["10.0.0.7"], ["93.184.216.34", "127.0.0.1"], ["::ffff:169.254.169.254"], []):
        with pytest.raises(ForbiddenDestination, match=re.escape("Destination refusée : hooks.exemple.fr")):
            vet("hooks.exemple.fr", resolved, STRICT)
    assert vet("hooks.exemple.fr", ["127.0.0.1"], OPEN) == ["127.0.0.1"]


@pytest.mark.nodb
def test_settings_from_env_refuse_by_default_and_allow_with_the_flags(tmp_path):
    base = {"SOCLE_DATA_DIR": str(tmp_path), "SOCLE_SECRET_KEY": "k" * 32}
    strict = Settings.from_env(base)
    assert (strict.webhook_allow_http, strict.webhook_allow_private_networks) == (False, False)
    assert UrlPolicy.of(strict) == STRICT
    loose = Settings.from_env({**base, "SOCLE_WEBHOOK_ALLOW_HTTP": "1", "SOCLE_WEBHOOK_ALLOW_PRIVATE": "1"})
    assert UrlPolicy.of(loose) == OPEN


# -- the pinned client: resolution injected, real loopback receiver ------------------------------


def resolving_to(addresses, calls):
    async def resolve(host, port):
        calls.append(host)
        return addresses
    return resolve


@pytest.mark.nodb
async def test_client_refuses_before_connecting_when_the_name_resolves_inside():
    calls = []
    async with vetted_client(STRICT, 2.0, resolving_to(["127.0.0.1", "93.184.216.34"], calls)) as http:
        refused = re.escape("hooks.exemple.fr résout vers 127.0.0.1 (adresse de bouclage)")
        with pytest.raises(ForbiddenDestination, match=refused):
            await http.post("https://hooks.exemple.fr/socle", content=b"{}")
    assert calls == ["hooks.exemple.fr"]


@pytest.mark.nodb
async def test_client_connects_to_the_vetted_address_and_keeps_the_host_name():
    """`hooks.exemple.fr` exists in no DNS: the request only arrives because the connection goes to the address
    the resolver vetted, and the Host header still names the host."""
    calls = []
    with WebhookReceiver(secret=SECRET) as receiver:
        async with vetted_client(OPEN, 2.0, resolving_to(["127.0.0.1"], calls)) as http:
            response = await http.post(f"http://hooks.exemple.fr:{receiver.port}/hook", content=b"{}",
                                       headers={"X-Socle-Signature": notify.sign(SECRET, b"{}")})
    assert response.status_code == 200 and calls == ["hooks.exemple.fr"]
    [delivery] = receiver.deliveries
    assert delivery.headers["Host"] == f"hooks.exemple.fr:{receiver.port}"


def self_signed(name: str, folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    start = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=5)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(start)
            .not_valid_after(start + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / f"{name}.crt", folder / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@contextmanager
def https_server(cert: Path, key: Path) -> Iterator[tuple[int, list[str], list[str]]]:
    """An HTTPS server on 127.0.0.1 answering 200; yields (port, SNI names received, Host headers received)."""
    names: list[str] = []
    hosts: list[str] = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda sock, name, ctx: names.append(name) and None

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            hosts.append(self.headers["Host"])
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format, *args) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server.server_address[1], names, hosts
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.nodb
async def test_tls_to_the_vetted_address_keeps_sni_and_checks_the_certificate_against_the_name(tmp_path):
    """Pinned to 127.0.0.1, an https delivery still sends SNI `hooks.exemple.fr` and accepts only a certificate
    for that name (a valid certificate for another name is refused)."""
    cert, key = self_signed("hooks.exemple.fr", tmp_path)
    trusted = ssl.create_default_context(cafile=str(cert))
    with https_server(cert, key) as (port, names, hosts):
        async with vetted_client(OPEN, 5.0, resolving_to(["127.0.0.1"], []), trusted) as http:
            response = await http.post(f"https://hooks.exemple.fr:{port}/hook", content=b"{}")
    assert response.status_code == 200
    assert names == ["hooks.exemple.fr"] and hosts == [f"hooks.exemple.fr:{port}"]

    other_cert, other_key = self_signed("autre.exemple.fr", tmp_path)
    with https_server(other_cert, other_key) as (port, names, hosts):
        async with vetted_client(OPEN, 5.0, resolving_to(["127.0.0.1"], []),
                                 ssl.create_default_context(cafile=str(other_cert))) as http:
            with pytest.raises(httpx.ConnectError, match="certificate verify failed"):
                await http.post(f"https://hooks.exemple.fr:{port}/hook", content=b"{}")
    assert hosts == []


# -- registration through the API and the page ----------------------------------------------------

INTERNAL_URLS = [
    ("http://127.0.0.1/hook", "https://"), ("http://10.0.0.1/hook", "https://"), ("http://[::1]/hook", "https://"),
    ("http://169.254.169.254/latest/meta-data/", "https://"),
    ("https://127.0.0.1/hook", "127.0.0.1 (adresse de bouclage)"), ("https://10.0.0.1/hook", "réseau privé"),
    ("https://[::1]:8443/hook", "adresse de bouclage"), ("https://169.254.169.254/latest/meta-data/", "lien-local"),
    ("https://[::ffff:10.0.0.1]/hook", "réseau privé"), ("https://localhost:8000/hook", "localhost"),
    ("https://admin:secret@hooks.exemple.fr/", "identifiants"),
]


@pytest.mark.parametrize(("url", "message"), INTERNAL_URLS)
async def test_api_refuses_internal_urls_and_stores_nothing(client, make_org, url, message):
    org = await make_org()
    headers = await api_token(client, org.owner_email)
    response = await client.post("/api/v1/webhooks", headers=headers, json={"url": url, "events": ["*"]})
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert error["field"] == "url" and message in error["message"]
    assert await WebhookEndpoint.count() == 0


async def test_api_accepts_a_public_name_and_refuses_to_patch_it_inward(client, make_org):
    org = await make_org()
    headers = await api_token(client, org.owner_email)
    created = await client.post("/api/v1/webhooks", headers=headers, json={
        "url": "https://hooks.exemple.fr/socle", "events": ["*"]})
    assert created.status_code == 201, created.text
    endpoint_id = created.json()["id"]
    patched = await client.patch(f"/api/v1/webhooks/{endpoint_id}", headers=headers, json={
        "url": "https://169.254.169.254/latest/meta-data/"})
    assert patched.status_code == 422 and patched.json()["errors"][0]["field"] == "url"
    assert [row["url"] for row in await WebhookEndpoint.select(WebhookEndpoint.url)] == [
        "https://hooks.exemple.fr/socle"]


@pytest.mark.parametrize(("url", "message"), [
    ("http://169.254.169.254/latest/meta-data/", "doit commencer par https://"),
    ("https://10.0.0.1/hook", "désigne une machine interne : 10.0.0.1 (réseau privé)"),
    ("https://[::1]/hook", "désigne une machine interne : ::1 (adresse de bouclage)"),
])
async def test_page_refuses_internal_urls_in_french(client, make_org, url, message):
    org = await make_org()
    await login(client, org.owner_email)
    response = await submit(client, "/config/notifications", "/config/notifications/webhooks",
                            {"url": url, "events": "booking.created"})
    assert response.status_code in (302, 303)
    page = (await client.get("/config/notifications")).text
    assert message.replace("'", "&#39;") in page and "secret de signature" not in page
    assert await WebhookEndpoint.count() == 0


# -- delivery ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
async def test_delivery_to_a_name_resolving_to_loopback_is_refused_and_logged(client, make_org, drain,
                                                                              worker_settings, host):
    """An endpoint stored before these rules (or whose name later resolves inside) is refused at delivery, on
    the addresses the system resolver gives (localhost: 127.0.0.1 or ::1):
    dead at the first attempt, the reason in the delivery log, the receiver never called. With the flag on,
    the same message is delivered (so the refusal is the rule, not a broken receiver)."""
    org = await make_org()
    headers = await api_token(client, org.owner_email)
    with WebhookReceiver(secret=SECRET) as receiver:
        endpoint = WebhookEndpoint(organisation=org.organisation_id, url=f"http://{host}:{receiver.port}/hook",
                                   events=["*"], secret=SECRET)
        await endpoint.save()
        [key] = await notify.emit_event(org.organisation_id, "booking.created", "booking", {"id": 1})
        await drain(dataclasses.replace(worker_settings, webhook_allow_http=True))
        assert receiver.requests == 0
        [row] = await OutboxMessage.select().where(OutboxMessage.idempotency_key == key)
        assert (row["status"], row["attempts"]) == (jobs.DEAD, 1)
        assert row["last_error"].startswith("Destination refusée") and "adresse de bouclage" in row["last_error"]
        log = (await client.get(f"/api/v1/webhooks/{endpoint.id}/deliveries", headers=headers)).json()
        assert [(m["status"], m["last_error"]) for m in log] == [("dead", row["last_error"])]

        assert (await client.post(f"/api/v1/outbox/{row['id']}/replay", headers=headers)).status_code == 201
        await drain(dataclasses.replace(worker_settings, webhook_allow_http=True,
                                        webhook_allow_private_networks=True))
        [delivery] = receiver.deliveries
        assert delivery.key == key and delivery.headers["Host"] == f"{host}:{receiver.port}"
