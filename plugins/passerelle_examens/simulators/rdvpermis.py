"""A RdvPermis simulator: a small Litestar app with deterministic data and injectable faults.

The real API is not public; this app is the contract the client in providers/rdvpermis.py speaks.
Start it with ``socle sim rdvpermis [port]`` (8765 by default; `make run` starts it): its state is then kept in
SOCLE_DATA_DIR/simulateurs/rdvpermis.json across restarts (simulators/store.py); the tests keep it in memory.

Like the real service, a booking needs the candidate's mandate, confirmed, for the school that books: otherwise
``POST /bookings`` answers 403 « aucun mandat confirmé ».
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass, field
from html import escape
from typing import Annotated, Any

from litestar import Litestar, Request, delete, get, post
from litestar.enums import RequestEncodingType
from litestar.exceptions import HTTPException
from litestar.params import Body, FromPath, FromQuery, JSONBody
from litestar.response import Response

from plugins.passerelle_examens.simulators.store import StateFile

DEPARTEMENTS = [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B", "971", "972", "973", "974", "976"]
INSPECTORS = ["Mme Bernard", "M. Petit", "Mme Moreau"]
TOKEN_TTL = 3600.0


def _seed(*parts: str) -> int:
    return int(hashlib.sha256("|".join(parts).encode()).hexdigest()[:8], 16)


def centres_of(departement: str, exam_type: str) -> list[dict[str, str]]:
    count = 2 + _seed(departement, exam_type) % 3
    return [
        {
            "id": f"{departement}-{exam_type[0].upper()}{i + 1}",
            "name": f"Centre d'examen {departement} {exam_type} n° {i + 1}",
            "departement": departement,
            "exam_type": exam_type,
            "city": f"Ville {departement}-{i + 1}",
        }
        for i in range(count)
    ]


@dataclass
class Faults:
    latency: float = 0.0
    timeout: int = 0  # next N calls hang for hang_seconds
    errors_5xx: int = 0
    rate_limited: int = 0
    expire_tokens: bool = False
    lose_booking_answer: int = 0
    hang_seconds: float = 30.0  # how long a timeout or a lost answer hangs


@dataclass
class State:
    faults: Faults = field(default_factory=Faults)
    tokens: dict[str, float] = field(default_factory=dict)
    taken: dict[str, int] = field(default_factory=dict)  # slot_id -> places booked
    bookings: dict[str, dict[str, str]] = field(default_factory=dict)  # idempotency key -> booking
    mandates: dict[str, dict[str, str]] = field(default_factory=dict)
    token_clients: dict[str, str] = field(default_factory=dict)  # token → client_id (signs its callbacks)
    callbacks: list[tuple[str, int]] = field(default_factory=list)  # (url, status) of each callback sent
    calls: int = 0
    store: StateFile | None = None  # where the state is kept across restarts (None: in memory only)


def slot_places(slot_id: str) -> int:
    return 1 + _seed(slot_id) % 3


def slot_start(slot_id: str) -> str:
    """The session's convocation time (morning or afternoon), deterministic."""
    return ("08:30", "10:00", "13:30", "15:00")[_seed(slot_id, "start") % 4]


def week_slots(centre_id: str, monday: dt.date, state: State) -> list[dict[str, Any]]:
    slots = []
    for offset in range(5):
        day = monday + dt.timedelta(days=offset)
        for inspector in INSPECTORS[: 1 + _seed(centre_id, day.isoformat()) % 3]:
            slot_id = f"{centre_id}_{day.isoformat()}_{INSPECTORS.index(inspector)}"
            free = slot_places(slot_id) - state.taken.get(slot_id, 0)
            if free > 0:
                slots.append({"slot_id": slot_id, "centre_id": centre_id, "day": day.isoformat(),
                              "inspector": inspector, "free_places": free, "start": slot_start(slot_id)})
    return slots


def create_app(state: State | None = None) -> Litestar:
    st = state or State()

    async def before(request: Request) -> None:
        st.calls += 1
        f = st.faults
        if request.url.path.startswith(("/_faults", "/mandats/")) or request.url.path == "/token":
            return  # the student's mandate link needs no token
        if f.latency:
            await asyncio.sleep(f.latency)
        if f.timeout > 0:
            f.timeout -= 1
            await asyncio.sleep(st.faults.hang_seconds)
        if f.rate_limited > 0:
            f.rate_limited -= 1
            raise HTTPException(status_code=429, detail="trop de requêtes", headers={"Retry-After": "1"})
        if f.errors_5xx > 0:
            f.errors_5xx -= 1
            raise HTTPException(status_code=503, detail="indisponible")
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        expiry = st.tokens.get(token)
        if expiry is None or expiry < time.time() or f.expire_tokens:
            raise HTTPException(status_code=401, detail="jeton expiré ou inconnu")

    @post("/token", status_code=200)
    async def token(data: JSONBody[dict[str, str]]) -> dict[str, Any]:
        if not data.get("client_id") or data.get("client_secret") != f"secret-{data.get('client_id')}":
            raise HTTPException(status_code=401, detail="identifiants refusés")
        value = secrets.token_urlsafe(16)
        st.tokens[value] = time.time() + TOKEN_TTL
        st.token_clients[value] = str(data["client_id"])
        return {"access_token": value, "expires_in": TOKEN_TTL}

    @get("/departements")
    async def departements() -> list[str]:
        return DEPARTEMENTS

    @get("/centres")
    async def centres(departement: FromQuery[str], exam_type: FromQuery[str]) -> list[dict[str, str]]:
        if departement not in DEPARTEMENTS or exam_type not in ("voiture", "moto"):
            raise HTTPException(status_code=400, detail="département ou type inconnu")
        return centres_of(departement, exam_type)

    @get("/centres/{centre_id:str}/sessions")
    async def sessions(centre_id: FromPath[str], monday: FromQuery[dt.date]) -> list[dict[str, Any]]:
        return week_slots(centre_id, monday, st)

    def mandate_refusal(request: Request[Any, Any, Any], neph: str) -> str:
        """Why RdvPermis refuses to book this candidate for the calling school ("" when it accepts)."""
        mandate = st.mandates.get(neph)
        client = st.token_clients.get(request.headers.get("authorization", "").removeprefix("Bearer "), "")
        if mandate is None or mandate["state"] != "confirmed":
            return "aucun mandat confirmé pour ce candidat"
        if mandate.get("client_id") and client and mandate["client_id"] != client:
            return "le mandat de ce candidat a été donné à une autre auto-école"
        return ""

    @post("/bookings", status_code=201)
    async def book(request: Request[Any, Any, Any], data: JSONBody[dict[str, str]]) -> Response[dict[str, str]]:
        key = data["idempotency_key"]
        if key in st.bookings:
            return Response(st.bookings[key], status_code=200)
        refusal = mandate_refusal(request, str(data.get("neph") or ""))
        if refusal:
            raise HTTPException(status_code=403, detail=refusal, extra={"code": "mandat"})
        slot_id = data["slot_id"]
        if st.taken.get(slot_id, 0) >= slot_places(slot_id):
            raise HTTPException(status_code=409, detail="plus de place")
        st.taken[slot_id] = st.taken.get(slot_id, 0) + 1
        booking = {"booking_id": f"B{len(st.bookings) + 1:06d}", "slot_id": slot_id,
                   "neph": data["neph"], "idempotency_key": key}
        st.bookings[key] = booking
        if st.faults.lose_booking_answer > 0:
            st.faults.lose_booking_answer -= 1
            await asyncio.sleep(st.faults.hang_seconds)
        return Response(booking, status_code=201)

    @delete("/bookings/{booking_id:str}", status_code=204)
    async def cancel(booking_id: FromPath[str]) -> None:
        for key, booking in list(st.bookings.items()):
            if booking["booking_id"] == booking_id:
                del st.bookings[key]
                st.taken[booking["slot_id"]] = max(0, st.taken.get(booking["slot_id"], 0) - 1)
                return
        raise HTTPException(status_code=404, detail="réservation inconnue")

    @get("/planning")
    async def planning() -> list[dict[str, str]]:
        return list(st.bookings.values())

    @post("/_faults", status_code=204)
    async def set_faults(data: JSONBody[dict[str, Any]]) -> None:
        for name, value in data.items():
            setattr(st.faults, name, value)

    async def after(response: Any) -> Any:
        if st.store is not None:
            st.store.save(st)
        return response

    app = Litestar([token, departements, centres, sessions, book, cancel, planning, set_faults, *mandate_routes(st)],
                   before_request=before, after_request=after)
    app.state.sim = st
    return app


MANDATE_PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Mandat RdvPermis</title></head>
<body><main><h1>Mandat RdvPermis (simulateur)</h1><p>{message}</p>{forms}</main></body></html>"""
MANDATE_FORMS = """<form method="post" action="/mandats/{id}/reponse"><input type="hidden" name="jeton" value="{jeton}">
<input type="hidden" name="decision" value="accepter"><button type="submit">Accepter le mandat</button></form>
<form method="post" action="/mandats/{id}/reponse"><input type="hidden" name="jeton" value="{jeton}">
<input type="hidden" name="decision" value="refuser"><button type="submit">Refuser</button></form>"""


def sign(secret: str, body: bytes) -> str:
    """The signature of a callback: ``sha256=`` + HMAC-SHA256 of the body with the school's client secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


async def notify(st: State, mandate: dict[str, str]) -> None:
    """POST the mandate's new state to the school's callback URL, signed; a failure is only recorded (the school
    also re-reads open mandates periodically)."""
    import httpx

    url = mandate.get("callback_url") or ""
    if not url:
        return
    body = json.dumps({k: mandate[k] for k in ("mandate_id", "neph", "state")}).encode()
    headers = {"content-type": "application/json",
               "x-rdvpermis-signature": sign(f"secret-{mandate['client_id']}", body)}
    try:
        async with httpx.AsyncClient(timeout=2.0) as http:
            st.callbacks.append((url, (await http.post(url, content=body, headers=headers)).status_code))
    except httpx.HTTPError:
        st.callbacks.append((url, 0))


async def answer_link(link: str, decision: str = "accepter") -> str:
    """What the student does with the link they received: open the page, then « Accepter le mandat »
    (`decision="accepter"`) or « Refuser » (`"refuser"`). Returns the simulator's answer page."""
    import re

    import httpx

    async with httpx.AsyncClient(timeout=5.0) as browser:
        page = await browser.get(link)
        page.raise_for_status()
        found = re.search(r'name="jeton" value="([^"]+)"', page.text)
        if found is None:
            raise ValueError("ce lien de mandat n'attend plus de réponse")
        answer = await browser.post(link.split("?")[0] + "/reponse",
                                    data={"jeton": found.group(1), "decision": decision})
        answer.raise_for_status()
        return answer.text


def mandate_routes(st: State) -> list[Any]:
    """Mandates: the school asks (requested), the student confirms or refuses through the link, the school may
    revoke. ``st.mandates`` maps NEPH → {mandate_id, neph, state, confirm_url, jeton, email}."""
    def public(m: dict[str, str]) -> dict[str, str]:
        return {k: m[k] for k in ("mandate_id", "neph", "state", "confirm_url")}

    def find(mandate_id: str) -> dict[str, str]:
        for m in st.mandates.values():
            if m["mandate_id"] == mandate_id:
                return m
        raise HTTPException(status_code=404, detail="mandat inconnu")

    @post("/mandates", status_code=201)
    async def ask(request: Request[Any, Any, Any], data: JSONBody[dict[str, str]]) -> Response[dict[str, str]]:
        neph = str(data.get("neph") or "")
        if len(neph) != 12 or not neph.isdigit():
            raise HTTPException(status_code=400, detail="NEPH invalide")
        current = st.mandates.get(neph)
        if current and current["state"] in ("requested", "confirmed"):
            return Response(public(current), status_code=200)
        mandate_id, jeton = f"M{len(st.mandates) + 1:06d}{secrets.token_hex(2)}", secrets.token_urlsafe(12)
        base = str(request.base_url).rstrip("/")
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        st.mandates[neph] = {"mandate_id": mandate_id, "neph": neph, "state": "requested", "jeton": jeton,
                             "email": str(data.get("email") or ""), "client_id": st.token_clients.get(token, ""),
                             "callback_url": str(data.get("callback_url") or "")[:500],
                             "confirm_url": f"{base}/mandats/{mandate_id}?jeton={jeton}"}
        return Response(public(st.mandates[neph]), status_code=201)

    @get("/mandates/{neph:str}")
    async def read(neph: FromPath[str]) -> dict[str, str]:
        if neph not in st.mandates:
            raise HTTPException(status_code=404, detail="aucun mandat")
        return public(st.mandates[neph])

    @post("/mandates/{neph:str}/revoke", status_code=200)
    async def revoke(neph: FromPath[str]) -> dict[str, str]:
        if neph not in st.mandates:
            raise HTTPException(status_code=404, detail="aucun mandat")
        st.mandates[neph]["state"] = "revoked"
        return public(st.mandates[neph])

    @get("/mandats/{mandate_id:str}", media_type="text/html")
    async def student_page(mandate_id: FromPath[str], jeton: FromQuery[str] = "") -> str:
        m = find(mandate_id)
        if not secrets.compare_digest(m["jeton"], jeton):
            raise HTTPException(status_code=403, detail="lien invalide")
        if m["state"] != "requested":
            return MANDATE_PAGE.format(message=f"Ce mandat est déjà traité ({escape(m['state'])}).", forms="")
        return MANDATE_PAGE.format(message="Votre auto-école demande à réserver vos examens en votre nom.",
                                   forms=MANDATE_FORMS.format(id=escape(mandate_id), jeton=escape(jeton)))

    @post("/mandats/{mandate_id:str}/reponse", media_type="text/html", status_code=200)
    async def answer(mandate_id: FromPath[str], data: Annotated[dict[str, str], Body(
            media_type=RequestEncodingType.URL_ENCODED)]) -> str:
        m = find(mandate_id)
        if not secrets.compare_digest(m["jeton"], str(data.get("jeton") or "")) or m["state"] != "requested":
            raise HTTPException(status_code=403, detail="lien invalide ou déjà utilisé")
        m["state"] = "confirmed" if data.get("decision") == "accepter" else "refused"
        await notify(st, m)
        word = "accepté" if m["state"] == "confirmed" else "refusé"
        return MANDATE_PAGE.format(message=f"Vous avez {word} le mandat.", forms="")

    return [ask, read, revoke, student_page, answer]


def main() -> None:  # pragma: no cover - CLI
    import uvicorn

    parser = argparse.ArgumentParser(description="Simulateur RdvPermis")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    uvicorn.run(create_app(), host="127.0.0.1", port=args.port)


if __name__ == "__main__":  # pragma: no cover
    main()
