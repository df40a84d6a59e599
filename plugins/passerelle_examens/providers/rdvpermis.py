"""HTTP client for RdvPermis (real or simulated), with bounded retries and booking reconciliation."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import httpx

from .base import AllocatedPlace, Booking, Capability, Centre, ExamProvider, ExamProviderError, ExamType, Mandate, Slot

MAX_ATTEMPTS = 3
MAX_RETRY_AFTER = 2.0
MANDATE_REFUSED = ("RdvPermis refuse la réservation : l'élève n'a pas de mandat confirmé pour votre auto-école "
                   "(pas encore accepté, refusé ou révoqué). Demandez-lui d'accepter le mandat, puis réessayez.")


def _unsupported(name: str) -> ExamProviderError:
    return ExamProviderError(f"RdvPermis ne propose pas encore « {name} » dans cette version.", code="unsupported")


class _Unsupported:
    """Operations not yet spoken by this client (not in ``capabilities``)."""

    async def capture(self) -> list[AllocatedPlace]:
        raise _unsupported("capture")

    async def assign(self, numero: str, cle: str, neph: str, idempotency_key: str) -> Booking:
        raise _unsupported("assign")

    async def release(self, numero: str, cle: str, neph: str) -> None:
        raise _unsupported("assign")


class RdvPermisProvider(_Unsupported):
    key = "rdvpermis"
    label = "RdvPermis"
    capabilities: frozenset[Capability] = frozenset({"centres", "sessions", "mandates", "booking", "cancel",
                                                     "planning"})

    def __init__(self, base_url: str, client_id: str, client_secret: str, *, timeout: float = 5.0) -> None:
        self._http = httpx.AsyncClient(base_url=base_url, timeout=timeout)
        self._client_id = client_id
        self._client_secret = client_secret
        self._token: str | None = None

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _authenticate(self) -> None:
        try:
            response = await self._http.post(
                "/token", json={"client_id": self._client_id, "client_secret": self._client_secret})
        except httpx.HTTPError as exc:
            raise ExamProviderError("RdvPermis ne répond pas, réessayez dans quelques minutes.",
                                    retryable=True, code="unreachable") from exc
        if response.status_code != 200:
            raise ExamProviderError("Les identifiants RdvPermis de ce bureau sont refusés : "
                                    "vérifiez-les dans les réglages.", code="credentials")
        self._token = response.json()["access_token"]

    async def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        refreshed = False
        for attempt in range(MAX_ATTEMPTS):
            if self._token is None:
                await self._authenticate()
            try:
                response = await self._http.request(
                    method, path, headers={"Authorization": f"Bearer {self._token}"}, **kwargs)
            except httpx.TimeoutException as exc:
                raise ExamProviderError("RdvPermis met trop de temps à répondre.",
                                        retryable=True, code="timeout") from exc
            except httpx.HTTPError as exc:
                raise ExamProviderError("RdvPermis ne répond pas, réessayez dans quelques minutes.",
                                        retryable=True, code="unreachable") from exc
            if response.status_code == 401 and not refreshed:
                self._token, refreshed = None, True
                continue
            if response.status_code == 401:
                raise ExamProviderError("La connexion à RdvPermis a expiré et n'a pas pu être renouvelée.",
                                        code="credentials")
            if response.status_code == 429 or response.status_code >= 500:
                if attempt + 1 < MAX_ATTEMPTS:
                    delay = min(float(response.headers.get("Retry-After", "0.2")), MAX_RETRY_AFTER)
                    await asyncio.sleep(delay)
                    continue
                raise ExamProviderError("RdvPermis est momentanément indisponible, réessayez plus tard.",
                                        retryable=True, code="unavailable")
            if response.status_code == 403 and path == "/bookings":
                raise ExamProviderError(MANDATE_REFUSED, code="mandate")
            if response.status_code == 404 and method == "DELETE":
                raise ExamProviderError("RdvPermis ne connaît pas cette réservation.", code="unknown")
            if response.status_code == 409:
                raise ExamProviderError("Ce créneau n'a plus de place libre.", code="full")
            if response.status_code == 404:
                raise ExamProviderError("RdvPermis ne connaît pas cet élément.", code="not_found")
            if response.status_code >= 400:
                raise ExamProviderError("RdvPermis a refusé la demande.", code="rejected")
            return response
        raise ExamProviderError("RdvPermis est momentanément indisponible, réessayez plus tard.",
                                retryable=True, code="unavailable")

    async def search_centres(self, departement: str, exam_type: ExamType) -> list[Centre]:
        response = await self._call("GET", "/centres",
                                    params={"departement": departement, "exam_type": exam_type})
        return [Centre(**row) for row in response.json()]

    async def week_sessions(self, centre_id: str, monday: dt.date) -> list[Slot]:
        response = await self._call("GET", f"/centres/{centre_id}/sessions",
                                    params={"monday": monday.isoformat()})
        return [Slot(centre_id=r["centre_id"], day=dt.date.fromisoformat(r["day"]), inspector=r["inspector"],
                     free_places=r["free_places"], slot_id=r["slot_id"],
                     start=dt.time.fromisoformat(r.get("start") or "08:00")) for r in response.json()]

    @staticmethod
    def _mandate(row: dict[str, Any]) -> Mandate:
        state = row.get("state")
        if state not in ("requested", "confirmed", "refused", "revoked"):
            raise ExamProviderError("RdvPermis a renvoyé un état de mandat inconnu.", code="rejected")
        return Mandate(neph=str(row["neph"]), state=state, confirm_url=str(row.get("confirm_url") or ""),
                       mandate_id=str(row.get("mandate_id") or ""))

    async def mandate(self, neph: str, email: str, callback_url: str = "") -> Mandate:
        """Ask the student's mandate (idempotent: an open mandate is answered again); RdvPermis POSTs the
        student's answer to `callback_url`, signed with the client secret."""
        response = await self._call("POST", "/mandates",
                                    json={"neph": neph, "email": email, "callback_url": callback_url})
        return self._mandate(response.json())

    async def read_mandate(self, neph: str) -> Mandate:
        return self._mandate((await self._call("GET", f"/mandates/{neph}")).json())

    async def revoke_mandate(self, neph: str) -> Mandate:
        return self._mandate((await self._call("POST", f"/mandates/{neph}/revoke")).json())

    async def planning(self) -> list[Booking]:
        response = await self._call("GET", "/planning")
        return [Booking(**row) for row in response.json()]

    async def book(self, slot_id: str, neph: str, idempotency_key: str) -> Booking:
        """Book once: after a timeout, look the key up in the planning before any retry."""
        payload = {"slot_id": slot_id, "neph": neph, "idempotency_key": idempotency_key}
        try:
            response = await self._call("POST", "/bookings", json=payload)
        except ExamProviderError as exc:
            if exc.code != "timeout":
                raise
            for booking in await self.planning():
                if booking.idempotency_key == idempotency_key:
                    return booking
            response = await self._call("POST", "/bookings", json=payload)
        return Booking(**response.json())

    async def cancel(self, booking_id: str) -> None:
        """Cancel once; a booking RdvPermis no longer knows counts as cancelled (a retried cancel)."""
        try:
            await self._call("DELETE", f"/bookings/{booking_id}")
        except ExamProviderError as exc:
            if exc.code != "unknown":
                raise


async def week_search(provider: ExamProvider, centre_ids: list[str], monday: dt.date,
                      *, concurrency: int = 10) -> list[Slot]:
    """Free slots of several centres, fetched in parallel (bounded), sorted by day, centre, inspector."""
    gate = asyncio.Semaphore(concurrency)

    async def one(centre_id: str) -> list[Slot]:
        async with gate:
            return await provider.week_sessions(centre_id, monday)

    results = await asyncio.gather(*(one(c) for c in centre_ids))
    slots = [slot for rows in results for slot in rows]
    return sorted(slots, key=lambda s: (s.day, s.centre_id, s.inspector))

