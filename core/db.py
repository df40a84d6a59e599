"""Database engines and the one place tables get bound to them.

SQLite (embedded default) keeps persistent connections with WAL, foreign keys and a busy timeout;
PostgreSQL goes through an asyncpg pool. Services open write transactions with `write_transaction()`,
which is `BEGIN IMMEDIATE` on SQLite so a read-then-write waits for the lock instead of failing.
"""

from __future__ import annotations

import asyncio
import datetime
import functools
import importlib
import logging
import os
import sqlite3
import threading
import weakref
from collections.abc import Awaitable, Callable, Iterable, Sequence
from contextvars import ContextVar
from typing import Any
from urllib.parse import urlparse

import aiosqlite
from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.conf.apps import AppConfig, AppRegistry
from piccolo.engine import sqlite as _piccolo_sqlite
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine, PostgresTransaction
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType, dict_factory
from piccolo.querystring import QueryString
from piccolo.table import Table

from core.validation import Day, Moment

os.environ.setdefault("PICCOLO_CONF", "core.piccolo_conf")

# API inputs arrive as `Moment`/`Day` (datetime/date subclasses, see core.validation): SQLite stores them as
# it stores their parents (sqlite3 and Piccolo pick adapters by exact type).
for _subclass, _parent in ((Moment, datetime.datetime), (Day, datetime.date)):
    sqlite3.register_adapter(_subclass, _piccolo_sqlite.ADAPTERS[_parent])
    _piccolo_sqlite.ADAPTERS.setdefault(_subclass, _piccolo_sqlite.ADAPTERS[_parent])


# Piccolo apps of the core, in dependency order. Plugins add theirs from their manifest.
CORE_APPS = [
    "core.tenancy.piccolo_app",
    "core.auth.piccolo_app",
    "core.commerce.piccolo_app",
    "core.modules.piccolo_app",
    "core.jobs.piccolo_app",
    "core.notify.piccolo_app",
    "core.calendar.piccolo_app",
    "core.plugin_settings.piccolo_app",
    "core.accounts.piccolo_app",
    "core.documents.piccolo_app",
    "core.operators.piccolo_app",
    "core.grants.piccolo_app",
]

SQLITE_BUSY_TIMEOUT_MS = 30_000

# Statements run on the SQLite engine while `count_statements()` is open in this context (tests and benches
# count what one booking costs; nothing is recorded otherwise).
_statements: ContextVar[list[str] | None] = ContextVar("socle_statements", default=None)


class count_statements:
    """`with db.count_statements() as seen:` — the SQL text of every statement run on the SQLite engine in this
    context (tasks started inside included), reads and writes (BEGIN and COMMIT are not counted)."""

    def __enter__(self) -> list[str]:
        self.seen: list[str] = []
        self._token = _statements.set(self.seen)
        return self.seen

    def __exit__(self, *_: object) -> None:
        _statements.reset(self._token)


def _record(query: str) -> None:
    seen = _statements.get()
    if seen is not None:
        seen.append(query)


class PooledSQLiteTransaction(SQLiteTransaction):
    """A transaction on a pooled connection, handed back to the pool instead of being closed."""

    async def __aexit__(self, exception_type: Any, exception: Any, traceback: Any) -> bool:
        if self._parent:
            return exception is None
        try:
            if exception:
                if not self._rolled_back:
                    await self.rollback()
            elif not self._committed and not self._rolled_back:
                await self.commit()
        finally:
            self.engine.current_transaction.reset(self.context)
            await self.engine.release(self.connection)  # type: ignore[attr-defined]
        return exception is None


class PooledSQLiteEngine(SQLiteEngine):
    """Piccolo's SQLite engine opens a connection (and a thread) per query; this one reuses them.

    - Writes and transactions run on persistent aiosqlite connections (one thread each), kept in a plain
      list so the engine works from any event loop. Each has WAL, foreign keys and a busy timeout.
    - A SELECT outside a transaction runs inline on a persistent read-only connection of the calling
      thread: in WAL mode readers never wait for writers, and an indexed read costs tens of microseconds,
      where the hop to an aiosqlite thread and back costs several hundred. If the file is momentarily
      locked (checkpoint, recovery), the read falls back to a threaded connection.
    """

    __slots__ = ("_idle", "_local", "_readers", "max_idle")

    def __init__(self, path: str, max_idle: int = 8) -> None:
        super().__init__(path=path, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
        self._idle: list[aiosqlite.Connection] = []
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self.max_idle = max_idle

    def _reader(self, converted: bool) -> sqlite3.Connection:
        """This thread's read-only connection: with Piccolo's type converters (dict rows) or without (tuples
        of SQLite's own types, for bulk reads: converters cost a Python call per value)."""
        name = "reader" if converted else "raw_reader"
        reader: sqlite3.Connection | None = getattr(self._local, name, None)
        if reader is None:
            kwargs = {**self.connection_kwargs, "timeout": 0.05}
            if not converted:
                kwargs["detect_types"] = 0
            reader = sqlite3.connect(**kwargs, check_same_thread=False)
            if converted:
                reader.row_factory = dict_factory
            reader.execute("PRAGMA query_only = ON")
            setattr(self._local, name, reader)
            self._readers.append(reader)
        return reader

    def _read(self, query: str, args: Sequence[Any], converted: bool) -> list[Any] | None:
        """The rows of a SELECT run inline, or None when the file is momentarily locked."""
        _record(query)
        try:
            cursor = self._reader(converted).execute(query, args)
            try:
                return cursor.fetchall()
            finally:
                cursor.close()
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                return None
            raise

    def read_tuples_inline(self, query: str, args: Sequence[Any]) -> list[tuple[Any, ...]] | None:
        """Rows as plain tuples of SQLite's own types (~200 ms saved on 40 k rows), or None when locked."""
        return self._read(query, args, converted=False)

    def _read_inline(self, query: str, args: list[Any]) -> list[dict[str, Any]] | None:
        return self._read(query, args, converted=True)

    async def get_connection(self) -> aiosqlite.Connection:
        if self._idle:
            return self._idle.pop()
        connection = await aiosqlite.connect(**self.connection_kwargs)
        connection.row_factory = dict_factory  # type: ignore[assignment]
        for pragma in (
            "PRAGMA journal_mode = WAL",
            "PRAGMA foreign_keys = ON",
            f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}",
            "PRAGMA synchronous = NORMAL",
        ):
            await connection.execute(pragma)
        return connection

    async def release(self, connection: aiosqlite.Connection) -> None:
        if connection.in_transaction:
            await connection.rollback()
        if len(self._idle) < self.max_idle:
            self._idle.append(connection)
        else:
            await connection.close()

    async def close(self) -> None:
        idle, self._idle = self._idle, []
        for connection in idle:
            await connection.close()
        readers, self._readers = self._readers, []
        for reader in readers:
            reader.close()
        self._local = threading.local()

    async def _run_in_new_connection(
        self, query: str, args: list[Any] | None = None, query_type: str = "generic", table: Any = None
    ) -> Any:
        if query.lstrip()[:6].upper() == "SELECT":
            rows = self._read_inline(query, args or [])
            if rows is not None:
                return rows
        _record(query)
        connection = await self.get_connection()
        try:
            return await connection.execute_fetchall(query, args or [])
        finally:
            await self.release(connection)

    async def _run_in_existing_connection(
        self,
        connection: Any,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: Any = None,
    ) -> Any:
        _record(query)
        # One trip to the connection's thread and back (execute and fetch there), where `async with
        # connection.execute(…) as cursor: await cursor.fetchall()` made three (execute, fetch, close): each
        # trip costs ~70 µs of CPU here, and a booking's transaction runs about ten statements.
        return await connection.execute_fetchall(query, args or [])

    def transaction(
        self, transaction_type: TransactionType = TransactionType.deferred, allow_nested: bool = True
    ) -> PooledSQLiteTransaction:
        return PooledSQLiteTransaction(self, transaction_type=transaction_type, allow_nested=allow_nested)


def create_engine(database_url: str) -> Engine:
    """An engine for `sqlite:///path` or `postgresql://user:pass@host:port/db`."""
    url = urlparse(database_url)
    if url.scheme == "sqlite":
        return PooledSQLiteEngine(path=url.path if url.netloc == "" else url.netloc + url.path)
    if url.scheme in ("postgres", "postgresql"):
        return PostgresEngine(config={"dsn": database_url.replace("postgres://", "postgresql://", 1)})
    raise ValueError(f"SOCLE_DATABASE_URL non reconnue : {database_url!r} (sqlite:/// ou postgresql://)")


_engine: Engine | None = None


def engine() -> Engine:
    if _engine is None:
        raise RuntimeError("no database engine bound: call core.db.bind() first")
    return _engine


def app_configs(extra_modules: Iterable[str] = ()) -> list[AppConfig]:
    return [importlib.import_module(name).APP_CONFIG for name in [*CORE_APPS, *extra_modules]]


def all_tables(configs: Iterable[AppConfig]) -> list[type[Table]]:
    return [table for config in configs for table in config.table_classes]


def bind(db: Engine, tables: Iterable[type[Table]]) -> None:
    """Point every table at `db` (Piccolo otherwise reads a global piccolo_conf)."""
    global _engine
    from piccolo.apps.migrations.tables import Migration

    from core import piccolo_conf

    _engine = db
    piccolo_conf.DB = db  # Piccolo's migration runner finds its engine there
    for table in [*tables, Migration]:
        table._meta.db = db


async def _keep_session(connection: Any) -> None:
    """What the pool runs when a connection comes back, after asyncpg has rolled back any transaction left
    open: nothing. Socle keeps no session state (`SET LOCAL` and `pg_advisory_xact_lock` end with their
    transaction; no `SET`, `LISTEN`, cursor or session advisory lock), so asyncpg's default reset — `SELECT
    pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL` on every release, a round trip and four
    statements for the server — is skipped. A booking over HTTP on two processes then costs PostgreSQL
    2.26 ms of CPU instead of 2.58 (`bench/booking.py --wrk`)."""


async def start(db: Engine) -> None:
    if isinstance(db, PostgresEngine):
        await db.start_connection_pool(min_size=1, max_size=10, reset=_keep_session)


async def stop(db: Engine) -> None:
    if isinstance(db, PostgresEngine):
        await db.close_connection_pool()
    elif isinstance(db, PooledSQLiteEngine):
        await db.close()


def write_transaction() -> WriteTransaction:
    """A transaction for read-then-write work: `BEGIN IMMEDIATE` on SQLite, a plain one on PostgreSQL
    (where services take row locks with `SELECT … FOR UPDATE` when they need them). Nested ones join the
    outermost; callbacks given to `after_commit` inside run once the outermost has committed."""
    db = engine()
    if isinstance(db, PooledSQLiteEngine):
        return WriteTransaction(db.transaction(TransactionType.immediate))
    return WriteTransaction(db.transaction())  # type: ignore[arg-type]


AfterCommit = Callable[[], Awaitable[None]]
_after_commit: ContextVar[list[AfterCommit] | None] = ContextVar("socle_after_commit", default=None)
_after_rollback: ContextVar[list[AfterCommit] | None] = ContextVar("socle_after_rollback", default=None)
log = logging.getLogger("socle.db")


_GATES: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = weakref.WeakKeyDictionary()


async def _enter_gate() -> asyncio.Lock | None:
    """SQLite: the process's outermost write transactions take turns on an asyncio lock before `BEGIN
    IMMEDIATE`. SQLite admits one writer anyway; without the turn, 32 concurrent bookings each held a pooled
    connection (opening threads past the pool's 8) and waited in SQLite's busy handler, which cost more CPU
    than the bookings. Other processes still meet SQLite's busy timeout; after that long a turn is skipped
    (SQLite's own waiting applies, as before)."""
    loop = asyncio.get_running_loop()
    gate = _GATES.get(loop)
    if gate is None:
        gate = _GATES[loop] = asyncio.Lock()
    if not gate.locked():
        await gate.acquire()
        return gate
    try:
        await asyncio.wait_for(gate.acquire(), SQLITE_BUSY_TIMEOUT_MS / 1000)
    except TimeoutError:
        return None
    return gate


class WriteTransaction:
    """Piccolo's transaction plus an after-commit queue owned by the outermost `write_transaction()`."""

    __slots__ = ("_gate", "_inner", "_rollback_token", "_token")

    def __init__(self, inner: PooledSQLiteTransaction | PostgresTransaction) -> None:
        self._inner = inner
        self._token: Any = None
        self._rollback_token: Any = None
        self._gate: asyncio.Lock | None = None

    async def __aenter__(self) -> PooledSQLiteTransaction | PostgresTransaction:
        if isinstance(self._inner, PooledSQLiteTransaction) and self._inner._parent is None:
            self._gate = await _enter_gate()
        try:
            transaction = await self._inner.__aenter__()
        except BaseException:
            self._leave_gate()
            raise
        if self._inner._parent is None:
            self._token = _after_commit.set([])
            self._rollback_token = _after_rollback.set([])
        return transaction  # type: ignore[no-any-return]

    async def __aexit__(self, exception_type: Any, exception: Any, traceback: Any) -> bool:
        if self._token is None:  # nested: the outermost commits (or not)
            return await self._inner.__aexit__(exception_type, exception, traceback)  # type: ignore[no-any-return]
        callbacks = _after_commit.get() or []
        on_rollback = _after_rollback.get() or []
        _after_commit.reset(self._token)
        _after_rollback.reset(self._rollback_token)
        try:
            result = await self._inner.__aexit__(exception_type, exception, traceback)
        finally:
            self._leave_gate()
        committed = exception is None and not self._inner._rolled_back
        for callback in on_rollback if not committed else ():
            try:
                await callback()
            except Exception:
                log.exception("after-rollback callback %r raised", callback)
        if committed:
            for callback in callbacks:
                try:
                    await callback()
                except Exception:  # committed already: a failing listener must not turn it into an error
                    log.exception("after-commit callback %r raised", callback)
        return result  # type: ignore[no-any-return]

    def _leave_gate(self) -> None:
        gate, self._gate = self._gate, None
        if gate is not None:
            gate.release()


def after_commit(callback: AfterCommit) -> None:
    """Inside a `write_transaction()`: await `callback()` once the outermost one has committed, outside any
    transaction (never when it rolls back). Raising callbacks are logged."""
    queue = _after_commit.get()
    if queue is None:
        raise RuntimeError("after_commit() needs an open write_transaction()")
    queue.append(callback)


def after_rollback(callback: AfterCommit) -> None:
    """Inside a `write_transaction()`: await `callback()` if the outermost one rolls back (to record, in a
    transaction of its own, why a change was refused). Raising callbacks are logged."""
    queue = _after_rollback.get()
    if queue is None:
        raise RuntimeError("after_rollback() needs an open write_transaction()")
    queue.append(callback)


def in_write_transaction() -> bool:
    return _after_commit.get() is not None


@functools.lru_cache(maxsize=512)
def _placeholders(sql: str, postgres: bool) -> str:
    parts = sql.split("{}")
    if not postgres:
        return "?".join(parts)
    return "".join(part + (f"${i}" if i < len(parts) else "") for i, part in enumerate(parts, start=1))


async def fetch(sql: str, *args: Any) -> list[dict[str, Any]]:
    """Rows of a raw read-only SQL statement with `{}` placeholders, on the bound engine.

    For hot paths only (authentication, tenant lists, slot search): Piccolo's query builder costs about
    200 µs per query here; this goes straight to the driver (SQLite's inline reader or the asyncpg pool),
    unless a transaction is open, whose connection is then used."""
    db = engine()
    if db.current_transaction.get() is None:
        if isinstance(db, PooledSQLiteEngine):
            rows = db._read_inline(_placeholders(sql, False), list(args))
            if rows is not None:
                return rows
        elif isinstance(db, PostgresEngine) and db.pool is not None:
            async with db.pool.acquire() as connection:
                return [dict(record) for record in await connection.fetch(_placeholders(sql, True), *args)]
    return [dict(row) for row in await db.run_querystring(QueryString(sql, *args))]


async def fetch_tuples(sql: str, *args: Any, committed: bool = False) -> list[Sequence[Any]]:
    """Like `fetch`, rows as tuples without per-value converters (asyncpg Records on PostgreSQL, which index
    like tuples). For the hottest reads (the bearer token on every API request, the office list): on SQLite
    it skips Piccolo's converter calls and the dict per row. Select integer and text columns only: SQLite
    then gives the same Python types as PostgreSQL (booleans and timestamps would come back raw).
    With `committed`, SQLite reads the committed state inline even inside a write transaction (no hop to the
    writer's thread): for configuration the transaction does not change (webhook endpoints on a booking)."""
    db = engine()
    if db.current_transaction.get() is None or (committed and isinstance(db, PooledSQLiteEngine)):
        if isinstance(db, PooledSQLiteEngine):
            rows = db.read_tuples_inline(_placeholders(sql, False), args)
            if rows is not None:
                return rows
        elif isinstance(db, PostgresEngine) and db.pool is not None:
            async with db.pool.acquire() as connection:
                return await connection.fetch(_placeholders(sql, True), *args)
    return [tuple(row.values()) for row in await fetch(sql, *args)]


@functools.lru_cache(maxsize=64)
def _insert_sql(tablename: str, columns: tuple[str, ...], ignore_conflict_on: str | None) -> str:
    names = ", ".join(f'"{name}"' for name in columns)
    sql = f'INSERT INTO "{tablename}" ({names}) VALUES ({", ".join("{}" for _ in columns)})'
    if ignore_conflict_on:
        sql += f' ON CONFLICT ("{ignore_conflict_on}") DO NOTHING'
    return sql + ' RETURNING "id"'


async def insert(table: type[Table], values: dict[str, Any], *, ignore_conflict_on: str | None = None) -> int | None:
    """One raw `INSERT … RETURNING id` of `values` (column name → value already in its stored form: JSON as
    text, aware datetimes, booleans), in the open transaction if any; the new id, or None when
    `ignore_conflict_on` (a unique column) already held the value. For the rows every booking writes
    (booking, audit entry, outbox message): Piccolo's insert costs ~0.3 ms per row of query building."""
    sql = _insert_sql(table._meta.tablename, tuple(values), ignore_conflict_on)
    rows = await engine().run_querystring(QueryString(sql, *values.values()))
    return rows[0]["id"] if rows else None


async def lock_row(table: type[Table], row_id: int) -> None:
    """Inside a `write_transaction()`: serialise writers on one row (an organisation, a calendar…).

    PostgreSQL takes `SELECT … FOR UPDATE`; SQLite needs nothing more, `BEGIN IMMEDIATE` already holds the
    database's single write lock."""
    if is_postgres():
        await engine().run_querystring(
            QueryString(f"SELECT 1 FROM {table._meta.tablename} WHERE id = {{}} FOR UPDATE", row_id))


def is_postgres() -> bool:
    return isinstance(engine(), PostgresEngine)


async def migrate(extra_modules: Iterable[str] = ()) -> None:
    """Run every app's migrations forwards (core first, then plugins) on the bound engine; on SQLite, then
    give every table without it an AUTOINCREMENT primary key (`core.sqlite_schema`), so no id is ever reused."""
    from core import piccolo_conf

    piccolo_conf.APP_REGISTRY = AppRegistry(apps=[*CORE_APPS, *extra_modules])
    result = await run_forwards("all")
    if not result.success:
        raise RuntimeError(f"migration failed: {result.message}")
    db = engine()
    if isinstance(db, PooledSQLiteEngine):  # ids never reused: see core.sqlite_schema
        from core.sqlite_schema import ensure_autoincrement

        await db.close()  # idle connections would keep the old schema's statements cached
        await asyncio.to_thread(ensure_autoincrement, db.path)
