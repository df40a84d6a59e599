"""HTTP client for Printel (real or simulated): the places allocated to the school, with bounded retries
(429 with Retry-After, 5xx), one token renewal, and French messages for every failure."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import httpx

from .base import AllocatedPlace, Capability, ExamProviderError

MAX_ATTEMPTS = 3
MAX_RETRY_AFTER = 2.0


class PrintelProvider:
    key = "printel"
    label = "Printel"
    capabilities: frozenset[Capability] = frozenset({"capture"})

    def __init__(self, base_url: str, login: str, password: str, *, timeout: float = 5.0) -> None:
        self._http = httpx.AsyncClient(base_url=base_url, timeout=timeout)
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
        renewed = False
        for attempt in range(MAX_ATTEMPTS):
            if self._token is None:
                await self._authenticate()
            try:
                response = await self._http.get(path, headers={"Authorization": f"Bearer {self._token}"})
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
                raise ExamProviderError("Printel a refusé la demande.", code="rejected")
            return response.json()
        raise ExamProviderError("Printel est momentanément indisponible, réessayez plus tard.",
                                retryable=True, code="unavailable")

    async def capture(self) -> list[AllocatedPlace]:
        rows = await self._get("/places-attribuees")
        try:
            return [AllocatedPlace(numero=str(r["numero"]), cle=str(r["cle"]), lieu=str(r["lieu"]),
                                   day=dt.date.fromisoformat(str(r["date"])), places=int(r["nombre_places"]))
                    for r in rows]
        except (KeyError, TypeError, ValueError) as exc:
            raise ExamProviderError("Printel a envoyé une liste de places illisible.", code="rejected") from exc
