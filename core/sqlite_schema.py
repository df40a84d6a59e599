"""No id is ever reused on SQLite: every table's integer primary key is `AUTOINCREMENT`.

A plain `INTEGER PRIMARY KEY` (what Piccolo creates) is the rowid, and SQLite hands out max(rowid) + 1: delete
the newest row and its id comes back for the next insert — a webhook endpoint, an appointment, a member of
another organisation would then answer to an old id. `AUTOINCREMENT` keeps the highest id ever used in
`sqlite_sequence` and never goes below it.

SQLite cannot add `AUTOINCREMENT` to an existing table: `ensure_autoincrement` rebuilds each table that lacks
it (the documented twelve-step procedure: foreign keys off, new table, copy, drop, rename, indexes and
triggers again, `foreign_key_check`, commit), all in one transaction. `core.db.migrate` runs it after the
migrations of every app (core and plugins, third-party ones included), so tables created later by any
migration get it too; on a database where every table has it, it only reads `sqlite_master`.
PostgreSQL needs nothing: `SERIAL` draws from a sequence, which never goes back.
"""

from __future__ import annotations

import logging
import re
import sqlite3

log = logging.getLogger("socle.db")

_TEMP_PREFIX = "_socle_rebuild_"


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _integer_primary_key(connection: sqlite3.Connection, table: str) -> str | None:
    """The column that is the table's rowid alias (a single INTEGER primary key), if any."""
    columns = connection.execute(f"PRAGMA table_info({_quoted(table)})").fetchall()
    keys = [c for c in columns if c[5]]  # (cid, name, type, notnull, default, pk)
    if len(keys) != 1 or keys[0][2].upper() != "INTEGER":
        return None
    return str(keys[0][1])


def autoincrement_sql(create_sql: str, column: str) -> str | None:
    """`create_sql` with `AUTOINCREMENT` after the column's `INTEGER PRIMARY KEY`, or None when the column is
    not declared that way (a table-level PRIMARY KEY constraint, say)."""
    name = re.escape(column)
    pattern = re.compile(rf'((?:"{name}"|`{name}`|\[{name}\]|\b{name}\b)\s+INTEGER\s+PRIMARY\s+KEY(?:\s+(?:ASC|DESC))?)'
                         r"(?!\s+AUTOINCREMENT)", re.IGNORECASE)
    new_sql, count = pattern.subn(r"\1 AUTOINCREMENT", create_sql, count=1)
    return new_sql if count == 1 else None


def _renamed(create_sql: str, table: str, new_name: str) -> str:
    head = re.compile(rf'^\s*CREATE\s+TABLE\s+(?:"{re.escape(table)}"|`{re.escape(table)}`|'
                      rf"\[{re.escape(table)}\]|{re.escape(table)})\s*\(", re.IGNORECASE)
    new_sql, count = head.subn(f"CREATE TABLE {_quoted(new_name)} (", create_sql, count=1)
    if count != 1:
        raise ValueError(f"cannot read the CREATE TABLE statement of {table!r}")
    return new_sql


def tables_without_autoincrement(connection: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """(table, primary key column, its CREATE statement with AUTOINCREMENT) for every table to rebuild."""
    rows = connection.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                              "ORDER BY name").fetchall()
    todo = []
    for table, create_sql in rows:
        column = _integer_primary_key(connection, table)
        if column is None or create_sql is None or re.search(r"\bAUTOINCREMENT\b", create_sql, re.IGNORECASE):
            continue
        new_sql = autoincrement_sql(create_sql, column)
        if new_sql is None:
            log.warning("table %s : clé primaire entière non déclarée en ligne, AUTOINCREMENT impossible", table)
            continue
        todo.append((table, column, new_sql))
    return todo


def ensure_autoincrement(path: str) -> list[str]:
    """Rebuild every table of the SQLite database at `path` whose integer primary key lacks AUTOINCREMENT,
    keeping rows, indexes, triggers and foreign keys. Returns the tables rebuilt (none the second time)."""
    connection = sqlite3.connect(path, isolation_level=None, timeout=30)
    try:
        connection.execute("PRAGMA busy_timeout = 30000")
        if not tables_without_autoincrement(connection):
            return []
        # Off outside the transaction (the pragma is a no-op inside one): dropping the old table must not
        # cascade to the rows that reference it, and the rows are checked once at the end instead.
        connection.execute("PRAGMA foreign_keys = OFF")
        connection.execute("BEGIN IMMEDIATE")
        try:
            todo = tables_without_autoincrement(connection)  # again, under the write lock
            before = set(connection.execute("PRAGMA foreign_key_check").fetchall())
            for table, _column, new_sql in todo:
                _rebuild(connection, table, new_sql)
            problems = set(connection.execute("PRAGMA foreign_key_check").fetchall()) - before
            if problems:
                raise RuntimeError(f"foreign keys broken by the rebuild: {sorted(problems)[:5]}")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        finally:
            connection.execute("PRAGMA foreign_keys = ON")
        if todo:
            log.info("AUTOINCREMENT ajouté à %d table(s) : %s", len(todo), ", ".join(t for t, _, _ in todo))
        return [table for table, _, _ in todo]
    finally:
        connection.close()


def _rebuild(connection: sqlite3.Connection, table: str, new_sql: str) -> None:
    temp = _TEMP_PREFIX + table
    extras = [row[0] for row in connection.execute(
        "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL "
        "ORDER BY type, name", (table,))]
    columns = ", ".join(_quoted(row[1]) for row in connection.execute(f"PRAGMA table_info({_quoted(table)})"))
    connection.execute(f"DROP TABLE IF EXISTS {_quoted(temp)}")
    connection.execute(_renamed(new_sql, table, temp))
    connection.execute(f"INSERT INTO {_quoted(temp)} ({columns}) SELECT {columns} FROM {_quoted(table)}")
    connection.execute(f"DROP TABLE {_quoted(table)}")
    connection.execute(f"ALTER TABLE {_quoted(temp)} RENAME TO {_quoted(table)}")
    for statement in extras:
        connection.execute(statement)
