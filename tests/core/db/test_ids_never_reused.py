"""No id is ever reused: on SQLite every table's integer primary key is AUTOINCREMENT (added by `socle migrate`
to tables that lack it, data, indexes and foreign keys kept); on PostgreSQL SERIAL draws from a sequence."""

from __future__ import annotations

import sqlite3

import pytest

from core import db
from core.notify.tables import WebhookEndpoint
from core.sqlite_schema import autoincrement_sql, ensure_autoincrement
from core.tenancy import services
from core.tenancy.tables import Organisation


async def _new_endpoint(org_id: int, url: str) -> int:
    endpoint = WebhookEndpoint(organisation=org_id, url=url, secret="s" * 20, events=["*"])
    await endpoint.save()
    return endpoint.id


async def test_ids_of_deleted_rows_are_not_reused(client, make_org):
    """The newest row deleted, the next insert still gets a new id (SQLite's rowid would give it back)."""
    org = await make_org("Mairie A")
    first = await _new_endpoint(org.organisation_id, "https://a.example/1")
    second = await _new_endpoint(org.organisation_id, "https://a.example/2")
    await WebhookEndpoint.delete().where(WebhookEndpoint.id == second)
    third = await _new_endpoint(org.organisation_id, "https://a.example/3")
    assert first < second < third

    owner = await services.user_by_email(org.owner_email)
    assert owner is not None
    doomed = await services.create_organisation("Mairie éphémère", owner, "Gérant")
    await Organisation.delete().where(Organisation.id == doomed.id)
    again = await services.create_organisation("Mairie suivante", owner, "Gérant")
    assert again.id > doomed.id


async def test_every_table_of_the_migrated_database_has_autoincrement(client):
    if db.is_postgres():
        rows = await db.fetch("SELECT table_name, column_default FROM information_schema.columns "
                              "WHERE table_schema = 'public' AND column_name = 'id'")
        assert rows and all((r["column_default"] or "").startswith("nextval(") for r in rows), rows
        return
    rows = await db.fetch("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    tables = {row["name"]: row["sql"] for row in rows}
    assert "core_webhook_endpoint" in tables and "rdv_service_public_rdv" in tables
    integer_keyed = {name: sql for name, sql in tables.items() if "INTEGER PRIMARY KEY" in sql.upper()}
    assert "core_login_session" not in integer_keyed  # a random text key: nothing to reuse
    assert [name for name, sql in integer_keyed.items() if "AUTOINCREMENT" not in sql.upper()] == []


LEGACY = [
    'CREATE TABLE "parent" ("id" INTEGER PRIMARY KEY NOT NULL, "slug" VARCHAR(20) UNIQUE NOT NULL DEFAULT \'\')',
    'CREATE TABLE "child" ("id" INTEGER PRIMARY KEY NOT NULL, "parent" INTEGER NOT NULL REFERENCES "parent" ("id") '
    'ON DELETE CASCADE ON UPDATE CASCADE, "name" TEXT NOT NULL DEFAULT \'\')',
    'CREATE INDEX child_parent ON "child" ("parent")',
    'CREATE UNIQUE INDEX child_name ON child (parent, name)',
    'CREATE TABLE "log" ("at" TEXT, "what" TEXT)',
    'CREATE TRIGGER child_log AFTER INSERT ON child BEGIN INSERT INTO log VALUES (\'now\', NEW.name); END',
    'CREATE TABLE "pair" ("a" INTEGER, "b" INTEGER, PRIMARY KEY (a, b))',
]


def _legacy_database(path: str) -> None:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA foreign_keys = ON")
    for statement in LEGACY:
        connection.execute(statement)
    connection.executemany('INSERT INTO parent (id, slug) VALUES (?, ?)', [(1, "a"), (2, "b"), (3, "c")])
    connection.executemany('INSERT INTO child (id, parent, name) VALUES (?, ?, ?)',
                           [(1, 1, "x"), (2, 2, "y"), (5, 3, "z")])
    connection.execute("DELETE FROM parent WHERE id = 3")  # cascades to child 5: its id, and 3, are free again
    connection.commit()
    connection.close()


def test_rebuild_keeps_rows_indexes_triggers_and_foreign_keys(tmp_path):
    path = str(tmp_path / "legacy.sqlite")
    _legacy_database(path)

    assert ensure_autoincrement(path) == ["child", "parent"]
    assert ensure_autoincrement(path) == []  # idempotent

    connection = sqlite3.connect(path)
    connection.execute("PRAGMA foreign_keys = ON")
    schema = {row[0]: row[1] for row in connection.execute("SELECT name, sql FROM sqlite_master")}
    assert "AUTOINCREMENT" in schema["parent"] and "AUTOINCREMENT" in schema["child"]
    assert "AUTOINCREMENT" not in schema["pair"] and not any(name.startswith("_socle") for name in schema)
    assert {"child_parent", "child_name", "child_log", "sqlite_autoindex_parent_1"} <= set(schema)
    assert connection.execute("SELECT id, slug FROM parent ORDER BY id").fetchall() == [(1, "a"), (2, "b")]
    assert connection.execute("SELECT id, parent, name FROM child ORDER BY id").fetchall() == [(1, 1, "x"), (2, 2, "y")]

    connection.execute("INSERT INTO parent (slug) VALUES ('d')")
    [(new_parent,)] = connection.execute("SELECT id FROM parent WHERE slug = 'd'").fetchall()
    assert new_parent == 3  # the high-water mark is the highest id left at the rebuild
    connection.execute("DELETE FROM parent WHERE id = 3")
    connection.execute("INSERT INTO parent (slug) VALUES ('e')")
    assert connection.execute("SELECT id FROM parent WHERE slug = 'e'").fetchall() == [(4,)]  # 3 is not reused

    with pytest.raises(sqlite3.IntegrityError):  # the foreign key still holds …
        connection.execute("INSERT INTO child (parent, name) VALUES (99, 'orphan')")
    with pytest.raises(sqlite3.IntegrityError):  # … and the unique index
        connection.execute("INSERT INTO child (parent, name) VALUES (1, 'x')")
    connection.execute("INSERT INTO child (parent, name) VALUES (1, 'w')")
    # the trigger is back (and the copy did not fire it)
    assert connection.execute("SELECT what FROM log").fetchall() == [("x",), ("y",), ("z",), ("w",)]
    connection.execute("DELETE FROM parent WHERE id = 1")  # … and cascades
    assert connection.execute("SELECT id FROM child ORDER BY id").fetchall() == [(2,)]
    connection.close()


@pytest.mark.parametrize(("sql", "expected"), [
    ('CREATE TABLE "t" ("id" INTEGER PRIMARY KEY NOT NULL, "n" TEXT)',
     'CREATE TABLE "t" ("id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "n" TEXT)'),
    ("CREATE TABLE t (n TEXT, id integer primary key)",
     "CREATE TABLE t (n TEXT, id integer primary key AUTOINCREMENT)"),
    ('CREATE TABLE "t" ("identifier" INTEGER, "id" INTEGER PRIMARY KEY)',
     'CREATE TABLE "t" ("identifier" INTEGER, "id" INTEGER PRIMARY KEY AUTOINCREMENT)'),
    ("CREATE TABLE t (id INTEGER, PRIMARY KEY (id))", None),
])
def test_autoincrement_sql(sql, expected):
    assert autoincrement_sql(sql, "id") == expected
