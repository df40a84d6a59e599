"""HTTP client for Printel (real or simulated): the places allocated to the school and their assignment to
élèves (a NEPH on a place of lot numéro/clé, released on demand — both idempotent, so retrying is safe), with
bounded retries (429 with Retry-After, 5xx), one token renewal, and French messages for every failure."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any
from urllib.parse import quote

import httpx

from .base import AllocatedPlace, Booking, Capability, ExamProviderError

MAX_ATTEMPTS = 3
MAX_RETRY_AFTER = 2.0
TIMEOUT = 5.0  # seconds per call
REFUSALS = {  # status → (code, message) for the assignment calls
    403: ("rejected", "Printel refuse la clé de ce lot de places."),
    404: ("unknown", "Printel ne connaît pas (ou plus) ce lot de places."),
    409: ("full", "Printel indique que toutes les places de ce lot sont déjà attribuées."),
    422: ("rejected", "Printel refuse le NEPH de cet élève."),
}


class PrintelProvider:
    key = "printel"
    label = "Printel"
    capabilities: frozenset[Capability] = frozenset({"capture", "assign"})

    def __init__(self, base_url: str, login: str, password: str, *, timeout: float | None = None) -> None:
        self._http = httpx.AsyncClient(base_url=base_url, timeout=TIMEOUT if timeout is None else timeout)
        self._login, self._password = login, password
        self._token: str | None = None

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _authenticate(self) -> None:
        try:
            response = await self._http.post("/auth", json={"login": self._login, "password": self._password})
        except httpx.HTTPError as exc:
            raise ExamProviderError("Printel ne répond pas, réessayez dans quelques minutes.",
                                    retryable=True, code="unreachable") from exc
        if response.status_code != 200:
            raise ExamProviderError("Les identifiants Printel de ce bureau sont refusés : vérifiez-les dans les "
                                    "réglages.", code="credentials")
        self._token = response.json()["token"]

    async def _get(self, path: str) -> Any:
        return await self._call("GET", path)

    async def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        renewed = False
        for attempt in range(MAX_ATTEMPTS):
            if self._token is None:
                await self._authenticate()
            try:
                response = await self._http.request(method, path, headers={"Authorization": f"Bearer {self._token}"},
                                                    **kwargs)
            except httpx.TimeoutException as exc:
                raise ExamProviderError("Printel met trop de temps à répondre, réessayez plus tard.",
                                        retryable=True, code="timeout") from exc
            except httpx.HTTPError as exc:
                raise ExamProviderError("Printel ne répond pas, réessayez dans quelques minutes.",
                                        retryable=True, code="unreachable") from exc
            if response.status_code == 401 and not renewed:
                self._token, renewed = None, True
                continue
            if response.status_code == 401:
                raise ExamProviderError("La connexion à Printel a expiré et n'a pas pu être renouvelée.",
                                        code="credentials")
            if response.status_code == 429 or response.status_code >= 500:
                if attempt + 1 < MAX_ATTEMPTS:
                    await asyncio.sleep(min(float(response.headers.get("Retry-After", "0.2")), MAX_RETRY_AFTER))
                    continue
                raise ExamProviderError("Printel est momentanément indisponible, réessayez plus tard.",
                                        retryable=True, code="unavailable")
            if response.status_code >= 400:
                code, message = REFUSALS.get(response.status_code, ("rejected", "Printel a refusé la demande."))
                raise ExamProviderError(message, code=code)
            return response.json() if response.content else None
        raise ExamProviderError("Printel est momentanément indisponible, réessayez plus tard.",
                                retryable=True, code="unavailable")

    async def capture(self) -> list[AllocatedPlace]:
        rows = await self._get("/places-attribuees")
        try:
            return [AllocatedPlace(numero=str(r["numero"]), cle=str(r["cle"]), lieu=str(r["lieu"]),
                                   day=dt.date.fromisoformat(str(r["date"])), places=int(r["nombre_places"]),
                                   exam_type=str(r.get("type") or "") if r.get("type") in ("voiture", "moto") else "",
                                   start=dt.time.fromisoformat(str(r["heure"])) if r.get("heure") else None)
                    for r in rows]
        except (KeyError, TypeError, ValueError) as exc:
            raise ExamProviderError("Printel a envoyé une liste de places illisible.", code="rejected") from exc

    async def assign(self, numero: str, cle: str, neph: str, idempotency_key: str) -> Booking:
        """Assign the NEPH to a place of the lot: the same NEPH on the same lot twice is the same assignment."""
        answer = await self._call("POST", f"/places-attribuees/{quote(numero, safe='')}/affectations",
                                  json={"cle": cle, "neph": neph, "cle_idempotence": idempotency_key})
        try:
            return Booking(booking_id=str(answer["affectation_id"]), slot_id=numero, neph=neph,
                           idempotency_key=idempotency_key)
        except (KeyError, TypeError) as exc:
            raise ExamProviderError("Printel a envoyé une réponse illisible.", code="rejected") from exc

    async def release(self, numero: str, cle: str, neph: str) -> None:
        """Give the NEPH's place on the lot back (releasing a place already free is not an error)."""
        await self._call("DELETE", f"/places-attribuees/{quote(numero, safe='')}/affectations/"
                                   f"{quote(neph, safe='')}", params={"cle": cle})
