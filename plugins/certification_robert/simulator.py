"""The certifier's side, simulated: what the Le Robert exam platform does when scores are ready — sign the
results with the office's shared secret and POST them to Socle — with fault injection for tests and demos.

    socle plugins run certification_robert envoyer-resultats URL BUREAU SECRET courriel:score:niveau[:AAAA-MM-JJ]…
        [--panne signature|expiree|rejeu|corps]

URL is Socle's base address (http://127.0.0.1:8000), BUREAU the office id. Faults: `signature` signs with
another secret, `expiree` sends a timestamp 10 minutes old, `rejeu` sends the same signed request twice (the
second answer is printed), `corps` sends a body that is not JSON."""

from __future__ import annotations

import json
import time
from datetime import date, timedelta
from typing import Any

import httpx

from plugins.certification_robert.services.signature import sign

FAULTS = ("signature", "expiree", "rejeu", "corps")


def url_for(base_url: str, office_id: int) -> str:
    return f"{base_url.rstrip('/')}/public/offices/{office_id}/m/certification_robert/api/resultats"


def parse_results(items: list[str]) -> list[dict[str, Any]]:
    """« courriel:score:niveau[:date] » → the JSON entries (date: yesterday by default)."""
    out = []
    for item in items:
        parts = item.split(":")
        if len(parts) not in (3, 4):
            raise ValueError(f"résultat illisible : {item!r} (attendu courriel:score:niveau[:AAAA-MM-JJ])")
        day = parts[3] if len(parts) == 4 else (date.today() - timedelta(days=1)).isoformat()
        out.append({"email": parts[0], "score": int(parts[1]), "level": parts[2], "passed_on": day})
    return out


async def send_results(base_url: str, office_id: int, secret: str, results: list[dict[str, Any]],
                       fault: str | None = None) -> httpx.Response:
    """POST the signed results (real HTTP); returns Socle's answer (the second one for `rejeu`)."""
    body = b"{pas du json" if fault == "corps" else json.dumps({"results": results}).encode()
    stamp = int(time.time()) - (600 if fault == "expiree" else 0)
    key = secret + "-faux" if fault == "signature" else secret
    headers = {"Content-Type": "application/json", "X-Robert-Timestamp": str(stamp),
               "X-Robert-Signature": sign(key, stamp, body)}
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.post(url_for(base_url, office_id), content=body, headers=headers)
        if fault == "rejeu":
            response = await client.post(url_for(base_url, office_id), content=body, headers=headers)
    return response


async def command(args: list[str]) -> int:
    """`envoyer-resultats`: prints Socle's status and answer; exit 0 on 200."""
    fault = None
    if "--panne" in args:
        i = args.index("--panne")
        fault = args[i + 1] if i + 1 < len(args) else ""
        args = args[:i] + args[i + 2:]
        if fault not in FAULTS:
            print("Pannes possibles : " + ", ".join(FAULTS))
            return 2
    if len(args) < 4 or not args[1].isdigit():
        print(__doc__)
        return 2
    try:
        results = parse_results(args[3:])
    except ValueError as error:
        print(error)
        return 2
    response = await send_results(args[0], int(args[1]), args[2], results, fault)
    print(response.status_code, response.text)
    return 0 if response.status_code == 200 else 1
