"""A RdvPermis simulator: a small Litestar app with deterministic data and injectable faults.

The real API is not public; this app is the contract the client in providers/rdvpermis.py speaks.
Start it with ``python -m plugins.passerelle_examens.simulators.rdvpermis --port 8765``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hashlib
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from litestar import Litestar, Request, delete, get, post
from litestar.exceptions import HTTPException
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.response import Response

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
    calls: int = 0


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
        if request.url.path.startswith("/_faults") or request.url.path == "/token":
            return
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

    @post("/bookings", status_code=201)
    async def book(data: JSONBody[dict[str, str]]) -> Response[dict[str, str]]:
        key = data["idempotency_key"]
        if key in st.bookings:
            return Response(st.bookings[key], status_code=200)
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

    app = Litestar([token, departements, centres, sessions, book, cancel, planning, set_faults], before_request=before)
    app.state.sim = st
    return app


def main() -> None:  # pragma: no cover - CLI
    import uvicorn

    parser = argparse.ArgumentParser(description="Simulateur RdvPermis")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    uvicorn.run(create_app(), host="127.0.0.1", port=args.port)


if __name__ == "__main__":  # pragma: no cover
    main()
