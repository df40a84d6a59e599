"""Raw reads for the hot path: plain tuples straight from the driver, no per-row ORM objects.

SQL is written with `?` placeholders; on PostgreSQL they become `$1…$n`. Inside a transaction the
transaction's own connection is used (so `SELECT … FOR UPDATE` locks and reads see the same snapshot).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import msgspec

from core import db

_PLACEHOLDER = re.compile(r"\?")
_INTS = msgspec.json.Decoder(list[int])


def _pg_sql(sql: str) -> str:
    counter = iter(range(1, 10_000))
    return _PLACEHOLDER.sub(lambda _: f"${next(counter)}", sql)


def _transaction_connection() -> Any:
    transaction = db.engine().current_transaction.get()
    while transaction is not None and getattr(transaction, "_parent", None) is not None:
        transaction = transaction._parent
    return getattr(transaction, "connection", None) if transaction is not None else None


async def fetch(sql: str, args: Sequence[Any] = (), *, committed: bool = False) -> list[Sequence[Any]]:
    """Rows of `sql` as tuples (asyncpg Records on PostgreSQL, which index like tuples). With `committed`, a
    SELECT on SQLite reads the committed state through the inline reader even inside a write transaction
    (no hop to the writer's thread); only for rows the transaction has not changed."""
    engine = db.engine()
    connection = _transaction_connection()
    if committed and connection is not None and not db.is_postgres():
        connection = None
    if db.is_postgres():
        sql = _pg_sql(sql)
        if connection is not None:
            return await connection.fetch(sql, *args)
        if engine.pool is not None:  # type: ignore[attr-defined]
            async with engine.pool.acquire() as pooled:  # type: ignore[attr-defined]
                return await pooled.fetch(sql, *args)
        single = await engine.get_new_connection()  # type: ignore[attr-defined]
        try:
            return await single.fetch(sql, *args)
        finally:
            await single.close()
    if connection is None and sql.lstrip()[:6].upper() == "SELECT":
        rows = engine.read_tuples_inline(sql, args)  # type: ignore[attr-defined]
        if rows is not None:
            return rows
    owned = connection is None
    if owned:
        connection = await engine.get_connection()  # type: ignore[attr-defined]
    try:
        db._record(sql)  # counted like Piccolo's statements (db.count_statements)
        cursor = await connection.execute(sql, list(args))
        cursor.row_factory = None
        rows = await cursor.fetchall()
        await cursor.close()
        return rows
    finally:
        if owned:
            await engine.release(connection)  # type: ignore[attr-defined]


def ints(value: Any) -> list[int]:
    """An integer array from the database: a list already (PostgreSQL) or JSON text (SQLite)."""
    return value if isinstance(value, list) else _INTS.decode(value)


def json_rows(columns: str, order: str) -> str:
    """An aggregate gathering a group's records into one JSON array text (read back with msgspec)."""
    if db.is_postgres():
        return f"json_agg(json_build_array({columns}) ORDER BY {order})::text"
    return f"json_group_array(json_array({columns}))"


def id_list(ids: Iterable[int]) -> str:
    """An SQL list of integer literals (ids are cast to int, so nothing else can get in)."""
    return ",".join(str(int(i)) for i in ids) or "NULL"


def as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def as_json(value: Any) -> Any:
    if isinstance(value, str | bytes):
        return json.loads(value or "null")
    return value


def date_arg(value: date) -> Any:
    """Dates compare as ISO text in SQLite (how Piccolo stores them) and as DATE in PostgreSQL."""
    return value if db.is_postgres() else value.isoformat()
