"""The one helper through which every tenant-owned query goes.

`Scope(organisation_id)` builds queries already filtered on the organisation; `get()` answers
`NotFound` for an id that belongs to another organisation (404, never 403 and never the data).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from piccolo.query import Objects, Select
from piccolo.table import Table

from core.errors import NotFound
from core.validation import MAX_ID

T = TypeVar("T", bound=Table)


@dataclass(frozen=True, slots=True)
class Scope:
    organisation_id: int

    def select(self, table: type[Table], *columns: Any) -> Select:
        return table.select(*columns).where(table.organisation == self.organisation_id)  # type: ignore[attr-defined]

    def objects(self, table: type[T]) -> Objects[T]:
        return table.objects().where(table.organisation == self.organisation_id)  # type: ignore[attr-defined]

    async def get(self, table: type[T], row_id: Any, message: str | None = None) -> T:
        """The row of this organisation with that id, or NotFound."""
        try:
            row_id = int(row_id)
        except (TypeError, ValueError):
            raise NotFound(message) from None
        if not 1 <= row_id <= MAX_ID:  # no row has it, and the database would refuse the number
            raise NotFound(message)
        row = await self.objects(table).where(table._meta.primary_key == row_id).first()
        if row is None:
            raise NotFound(message)
        return row

    async def exists(self, table: type[Table], row_id: Any) -> bool:
        return await table.exists().where(
            (table._meta.primary_key == row_id) & (table.organisation == self.organisation_id)  # type: ignore[attr-defined]
        )
