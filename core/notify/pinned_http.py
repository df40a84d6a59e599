"""An httpx client that connects only to vetted addresses (the delivery half of the SSRF guard).

Checking the URL's host name and then letting httpx resolve it again would leave a gap (DNS rebinding: the
name answers a public address to the check and 127.0.0.1 to the connection). So resolution happens once, in
the connection layer: `VettedBackend` is an httpcore network backend whose `connect_tcp(host, port)` resolves
`host`, refuses the connection if any address is internal (`egress.vet`), then opens the TCP connection to the
vetted address itself. Everything above the socket is untouched: the URL keeps its host name, so the Host
header, TLS SNI and certificate checks are the normal ones, and the connection pool is keyed by host name.
The client follows no redirects (a 3xx to an internal address would be another way in) and ignores proxy
environment variables.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import httpcore
import httpx

from core.notify.egress import UrlPolicy, vet

Resolver = Callable[[str, int], Awaitable[list[str]]]


async def system_resolver(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (IP literals resolve to themselves), in the system's order."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise httpcore.ConnectError(f"Nom d'hôte introuvable : {host} ({error})") from error
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class VettedBackend(httpcore.AsyncNetworkBackend):
    def __init__(self, policy: UrlPolicy, resolver: Resolver = system_resolver) -> None:
        self.policy = policy
        self.resolver = resolver
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                          socket_options: Iterable[Any] | None = None) -> httpcore.AsyncNetworkStream:
        addresses = vet(host, await self.resolver(host, port), self.policy)
        failure: Exception | None = None
        for address in addresses:  # the vetted addresses only, never `host` again
            try:
                return await self.inner.connect_tcp(address, port, timeout=timeout, local_address=local_address,
                                                    socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                failure = error
        assert failure is not None
        raise failure

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Iterable[Any] | None = None) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("Les webhooks ne passent pas par des sockets Unix.")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class VettedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport with the connection pool built on `VettedBackend` (httpx 0.28 keeps the pool in
    `_pool` and uses nothing else; tests/core/notify/test_ssrf.py fails if that changes)."""

    def __init__(self, policy: UrlPolicy, resolver: Resolver = system_resolver,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context or httpx.create_ssl_context(), max_connections=100, max_keepalive_connections=20,
            keepalive_expiry=5.0, network_backend=VettedBackend(policy, resolver))


def vetted_client(policy: UrlPolicy, timeout: float, resolver: Resolver = system_resolver,
                  ssl_context: ssl.SSLContext | None = None) -> httpx.AsyncClient:
    """`ssl_context`: the system's trusted CAs by default (tests pass their own CA)."""
    return httpx.AsyncClient(transport=VettedTransport(policy, resolver, ssl_context), timeout=timeout,
                             follow_redirects=False, trust_env=False)
