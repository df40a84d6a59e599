"""A Printel simulator: the exam places allocated to a driving school (lieu, date, nombre de places, clé,
numéro, type when known) and their assignment to élèves (a NEPH on a place of a lot, released on demand), behind
a token that expires, with the same injectable faults as the RdvPermis simulator (latency, timeouts, 5xx, 429
with Retry-After, expired tokens, an assignment accepted but its answer lost) set through ``POST /_faults``.

Assigning is idempotent: the same NEPH on the same lot is the same assignment (200 the second time); a lot
whose places are all assigned answers 409; releasing a NEPH not (or no longer) assigned is a 204 all the same.

The real API is not public; this app is the contract the client in providers/printel.py speaks. Start it with
``socle sim printel [port]`` (8766 by default; `make run` starts it): its state (tokens, places added) is then
kept in SOCLE_DATA_DIR/simulateurs/printel.json across restarts (simulators/store.py).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from litestar import Litestar, Request, Response, delete, get, post
from litestar.exceptions import HTTPException
from litestar.params import FromPath, FromQuery, JSONBody

from plugins.passerelle_examens.simulators.rdvpermis import Faults
from plugins.passerelle_examens.simulators.store import StateFile

TOKEN_TTL = 3600.0
HEURES = ["08:00", "08:30", "09:15", "13:30", "14:00"]  # the lots' convocation times (local, deterministic)
LIEUX = ["Centre d'examen de Lyon-Gerland", "Centre d'examen de Villeurbanne", "Centre d'examen de Bron",
         "Centre d'examen de Vénissieux"]


def allocated_places(login: str, today: dt.date | None = None) -> list[dict[str, Any]]:
    """The places Printel allocates to `login`: deterministic, three to five lots over the next weeks, each
    with its local convocation time `heure` ("HH:MM"; a lot added through ``POST /_places`` may leave it out)."""
    start = today or dt.date.today()
    seed = int(hashlib.sha256(login.encode()).hexdigest()[:8], 16)
    places = []
    for i in range(3 + seed % 3):
        day = start + dt.timedelta(days=7 * (i + 1) + (seed >> i) % 5)
        numero = f"PT{seed % 100000:05d}{i + 1:02d}"
        places.append({"numero": numero, "cle": hashlib.sha256(numero.encode()).hexdigest()[:8].upper(),
                       "lieu": LIEUX[(seed + i) % len(LIEUX)], "date": day.isoformat(),
                       "nombre_places": 1 + (seed >> (2 * i)) % 3, "type": "voiture",
                       "heure": HEURES[(seed >> (3 * i)) % len(HEURES)]})
    return places


@dataclass
class State:
    faults: Faults = field(default_factory=Faults)
    tokens: dict[str, tuple[str, float]] = field(default_factory=dict)  # token → (login, expiry)
    extra: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # login → places added by a test
    assigned: dict[str, dict[str, str]] = field(default_factory=dict)  # "login|numéro" → NEPH → id (JSON keys)
    anchors: dict[str, str] = field(default_factory=dict)  # login → the day its lots were first read (ISO)
    calls: int = 0
    store: StateFile | None = None  # where the state is kept across restarts (None: in memory only)

    def places(self, login: str) -> list[dict[str, Any]]:
        """The login's lots: the deterministic ones (dated from the day they were first read, so a lot keeps its
        date from one day to the next, as at Printel), each replaced by an added lot of the same numéro."""
        anchor = dt.date.fromisoformat(self.anchors.setdefault(login, dt.date.today().isoformat()))
        extra = self.extra.get(login, [])
        added = {str(x["numero"]) for x in extra}
        return [x for x in allocated_places(login, anchor) if x["numero"] not in added] + extra

    def lot(self, login: str, numero: str, cle: str) -> dict[str, Any]:
        """The login's lot `numero` (404 unknown, 403 when the clé is not the lot's)."""
        for lot in self.places(login):
            if str(lot["numero"]) == numero:
                if str(lot["cle"]) != cle:
                    raise HTTPException(status_code=403, detail="clé du lot incorrecte")
                return lot
        raise HTTPException(status_code=404, detail="lot inconnu")


def create_app(state: State | None = None) -> Litestar:
    st = state or State()

    async def before(request: Request[Any, Any, Any]) -> None:
        st.calls += 1
        f = st.faults
        if request.url.path.startswith("/_") or request.url.path == "/auth":
            return  # like RdvPermis: faults hit the data calls, not the token
        if f.latency:
            await asyncio.sleep(f.latency)
        if f.timeout > 0:
            f.timeout -= 1
            await asyncio.sleep(f.hang_seconds)
        if f.rate_limited > 0:
            f.rate_limited -= 1
            raise HTTPException(status_code=429, detail="trop de requêtes", headers={"Retry-After": "1"})
        if f.errors_5xx > 0:
            f.errors_5xx -= 1
            raise HTTPException(status_code=503, detail="indisponible")

    def login_of(request: Request[Any, Any, Any]) -> str:
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        login, expiry = st.tokens.get(token, ("", 0.0))
        if not login or expiry < time.time() or st.faults.expire_tokens:
            raise HTTPException(status_code=401, detail="jeton expiré ou inconnu")
        return login

    @post("/auth", status_code=200)
    async def auth(data: JSONBody[dict[str, str]]) -> dict[str, Any]:
        login = str(data.get("login") or "")
        if not login or data.get("password") != f"printel-{login}":
            raise HTTPException(status_code=401, detail="identifiants refusés")
        value = secrets.token_urlsafe(16)
        st.tokens[value] = (login, time.time() + TOKEN_TTL)
        return {"token": value, "expires_in": TOKEN_TTL}

    @get("/places-attribuees")
    async def places(request: Request[Any, Any, Any]) -> list[dict[str, Any]]:
        login = login_of(request)
        return st.places(login)

    @post("/places-attribuees/{numero:str}/affectations", status_code=201)
    async def assign(request: Request[Any, Any, Any], numero: FromPath[str],
                     data: JSONBody[dict[str, Any]]) -> Response[dict[str, Any]]:
        """Assign `neph` to a place of the lot (idempotent; 409 when every place is assigned)."""
        login = login_of(request)
        neph = str(data.get("neph") or "")
        if len(neph) != 12 or not neph.isdigit():
            raise HTTPException(status_code=422, detail="NEPH invalide")
        lot = st.lot(login, numero, str(data.get("cle") or ""))
        taken = st.assigned.setdefault(f"{login}|{numero}", {})
        if neph in taken:
            return Response({"affectation_id": taken[neph], "numero": numero, "neph": neph}, status_code=200)
        if len(taken) >= int(lot["nombre_places"]):
            raise HTTPException(status_code=409, detail="toutes les places du lot sont attribuées")
        taken[neph] = f"PA-{numero}-{len(taken) + 1:02d}-{secrets.token_hex(3).upper()}"
        if st.faults.lose_booking_answer > 0:  # accepted here, but the answer never reaches the school
            st.faults.lose_booking_answer -= 1
            await asyncio.sleep(st.faults.hang_seconds)
        return Response({"affectation_id": taken[neph], "numero": numero, "neph": neph}, status_code=201)

    @delete("/places-attribuees/{numero:str}/affectations/{neph:str}", status_code=204)
    async def release(request: Request[Any, Any, Any], numero: FromPath[str], neph: FromPath[str],
                      cle: FromQuery[str] = "") -> None:
        """Give the NEPH's place on the lot back (idempotent)."""
        login = login_of(request)
        st.lot(login, numero, cle)
        st.assigned.get(f"{login}|{numero}", {}).pop(neph, None)

    @post("/_places", status_code=204)
    async def add_places(data: JSONBody[dict[str, Any]]) -> None:
        """Add lots to the login's places; a lot whose numéro is already there replaces it (Printel changed it)."""
        extra = st.extra.setdefault(str(data["login"]), [])
        for lot in data["places"]:
            extra[:] = [x for x in extra if x["numero"] != lot["numero"]] + [lot]

    @post("/_faults", status_code=204)
    async def set_faults(data: JSONBody[dict[str, Any]]) -> None:
        for name, value in data.items():
            setattr(st.faults, name, value)

    async def after(response: Any) -> Any:
        if st.store is not None:
            st.store.save(st)
        return response

    app = Litestar([auth, places, assign, release, add_places, set_faults], before_request=before,
                   after_request=after)
    app.state.sim = st
    return app
