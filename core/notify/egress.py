"""Where webhooks may go (SSRF guard): rules on the URL at registration, rules on resolved addresses at delivery.

An organisation admin chooses the URL; the server makes the request. Without these rules an admin could make
the server call its own loopback services, the private network or the cloud metadata endpoint
(169.254.169.254). So: http(s) only, https unless `allow_http`, no credentials in the URL, and no internal
address — checked on IP literals when the URL is registered, and on every address the host name resolves to
when a delivery is made (`core.notify.pinned_http` then connects to exactly the vetted address).
`allow_private` (settings `webhook_allow_private_networks`) lifts the address rules for tests and development.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
MAX_URL_LENGTH = 2000
INVALID = "Adresse du webhook invalide : une URL http:// ou https:// complète est attendue."
HTTPS_ONLY = "L'adresse du webhook doit commencer par https:// (http:// n'est pas autorisé sur ce serveur)."
CREDENTIALS = ("L'adresse du webhook ne doit pas contenir d'identifiants (utilisateur:mot-de-passe@) : "
               "les envois sont authentifiés par la signature.")


@dataclass(frozen=True, slots=True)
class UrlPolicy:
    allow_http: bool = False
    allow_private: bool = False

    @classmethod
    def of(cls, settings: Any) -> UrlPolicy:
        return cls(settings.webhook_allow_http, settings.webhook_allow_private_networks)


STRICT = UrlPolicy()


class ForbiddenDestination(Exception):
    """A webhook host that is, or resolves to, an internal address (the message is French, for the log)."""


def forbidden_reason(address: IPAddress) -> str | None:
    """Why `address` is not a public internet address (French), or None when webhooks may reach it.
    IPv4-mapped (::ffff:a.b.c.d) and 6to4 (2002::/16) IPv6 addresses are judged by the IPv4 address inside."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is not None:
            return forbidden_reason(embedded)
    if address.is_loopback:
        return "adresse de bouclage"
    if address.is_link_local:
        return "adresse lien-local, dont les métadonnées du cloud"
    if address.is_unspecified:
        return "adresse non spécifiée"
    if address.is_multicast:
        return "adresse de multidiffusion"
    if address.is_private:
        return "réseau privé"
    if address.is_reserved or not address.is_global:
        return "plage d'adresses réservée"
    return None


def ip_literal(host: str) -> IPAddress | None:
    """The address when `host` is an IP literal, including the legacy IPv4 forms the system resolver accepts
    (`127.1`, `2130706433`, `0x7f.0.0.1`)."""
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except (OSError, ValueError):
        return None


def internal_host_reason(host: str) -> str | None:
    """Why `host` (as written in the URL, no DNS lookup) certainly designates an internal machine, or None."""
    host = host.lower().rstrip(".")
    address = ip_literal(host)
    if address is not None:
        reason = forbidden_reason(address)
        return f"{address} ({reason})" if reason else None
    if host == "localhost" or host.endswith(".localhost"):
        return f"{host} (adresse de bouclage)"
    return None


def url_problem(value: str, policy: UrlPolicy, *, check_host: bool = True) -> str | None:
    """The French message saying why `value` cannot be a webhook URL under `policy`, or None if it can.
    `check_host=False` (delivery) leaves the host to `vet`, which judges every address it resolves to."""
    try:
        parts = urlsplit(value)
        host = parts.hostname
        parts.port  # noqa: B018 — raises ValueError on a bad port
    except ValueError:
        return INVALID
    if parts.scheme.lower() not in ("http", "https") or not host or len(value) > MAX_URL_LENGTH:
        return INVALID
    if parts.scheme.lower() == "http" and not policy.allow_http:
        return HTTPS_ONLY
    if parts.username is not None or parts.password is not None:
        return CREDENTIALS
    if check_host and not policy.allow_private and (reason := internal_host_reason(host)):
        return (f"L'adresse du webhook désigne une machine interne : {reason}. "
                "Seules les adresses publiques d'internet sont autorisées.")
    return None


def vet(host: str, addresses: list[str], policy: UrlPolicy) -> list[str]:
    """The addresses a delivery to `host` may connect to (all of them), or ForbiddenDestination if any one is
    internal: a name that resolves to one public and one internal address is refused, not half-trusted."""
    if not addresses:
        raise ForbiddenDestination(f"Destination refusée : {host} ne correspond à aucune adresse.")
    if policy.allow_private:
        return addresses
    for text in addresses:
        reason = forbidden_reason(ipaddress.ip_address(text.split("%", 1)[0]))
        if reason:
            shown = host if host == text else f"{host} résout vers {text}"
            raise ForbiddenDestination(f"Destination refusée : {shown} ({reason}), une adresse interne. "
                                       "Les webhooks ne peuvent viser que des adresses publiques.")
    return addresses
