"""Path and query parameters with the bounds of `core.validation` (Litestar reads `Parameter` bounds there,
not msgspec `Meta`): `office_id: PathId`, `duration: QueryDuration`, `start: FromQuery[Moment]`…"""

from __future__ import annotations

from typing import Annotated

from litestar.params import PathParameter, QueryParameter

from core.validation import MAX_COUNT, MAX_ID, MAX_MINUTES

PathId = Annotated[int, PathParameter(ge=1, le=MAX_ID, description="Identifiant (1 à 2³¹−1).")]
QueryId = Annotated[int, QueryParameter(ge=1, le=MAX_ID, description="Identifiant (1 à 2³¹−1).")]
OptionalQueryId = Annotated[int | None, QueryParameter(ge=1, le=MAX_ID, description="Identifiant (1 à 2³¹−1).")]
QueryDuration = Annotated[int, QueryParameter(ge=1, le=MAX_MINUTES, description="Durée en minutes.")]
QueryMinutes = Annotated[int, QueryParameter(ge=0, le=MAX_MINUTES, description="Minutes (0 à un an).")]
OptionalQueryMinutes = Annotated[int | None, QueryParameter(ge=0, le=MAX_MINUTES, description="Minutes.")]
OptionalQueryDuration = Annotated[int | None, QueryParameter(ge=1, le=MAX_MINUTES, description="Minutes.")]
QuerySeats = Annotated[int, QueryParameter(ge=1, le=MAX_COUNT, description="Places demandées.")]
QueryIds = Annotated[str | None, QueryParameter(max_length=2000, pattern=r"^[0-9, ]*$",
                                                description="Identifiants séparés par des virgules.")]
QueryText = Annotated[str | None, QueryParameter(max_length=2000)]
RequiredQueryIds = Annotated[str, QueryParameter(min_length=1, max_length=2000, pattern=r"^[0-9, ]*$",
                                                 description="Identifiants séparés par des virgules.")]
