"""Pytest fixtures: a migrated database (SQLite or a throwaway PostgreSQL), the app, a client, factories.

Choose the engine with `--db sqlite|postgres` (or SOCLE_TEST_DB). The database is migrated once per
session and emptied before each test.
"""

from __future__ import annotations

import asyncio
import functools
import os
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar import Litestar

from core import db
from core.config import Settings, SmtpSettings
from core.testing.postgres import PostgresServer

CSRF_RE = re.compile(r'name="_csrf_token" value="([^"]+)"')
PASSWORD = "mot-de-passe-solide"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--db", default=os.environ.get("SOCLE_TEST_DB", "sqlite"), choices=["sqlite", "postgres"],
                     help="database engine for the tests")


def pytest_report_header(config: pytest.Config) -> str:
    return f"socle database: {config.getoption('--db')}"


@pytest.fixture(scope="session")
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.config.getoption("--db") == "postgres":
        server = PostgresServer.start()
        try:
            yield server.create_database("socle_test")
        finally:
            server.stop()
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'socle.sqlite'}"


@functools.cache
def extra_app_modules() -> list[str]:
    """Piccolo app modules beyond the core's: those of the installed plugins that load."""
    from core.plugins import PluginManager

    return PluginManager(Settings(data_dir=Path("."), database_url="sqlite://", secret_key="-")).load().app_modules()


@pytest.fixture(scope="session")
def migrated(database_url: str) -> str:
    async def run() -> None:
        engine = db.create_engine(database_url)
        db.bind(engine, db.all_tables(db.app_configs(extra_app_modules())))
        await db.start(engine)
        try:
            await db.migrate(extra_app_modules())
        finally:
            await db.stop(engine)

    asyncio.run(run())
    return database_url


@pytest.fixture
def smtp_settings() -> SmtpSettings:
    """No SMTP host: mail goes to files in the data dir. Override with `smtp_to(smtp_server)` for a real server."""
    return SmtpSettings()


@pytest.fixture
def smtp_server() -> Iterator[Any]:
    """A real SMTP server on loopback (aiosmtpd): `.port`, `.messages`, `.keys`."""
    from core.testing.receivers import SmtpReceiver

    with SmtpReceiver() as server:
        yield server


def smtp_to(server: Any) -> SmtpSettings:
    """Settings sending to `server` (use in an `smtp_settings` fixture override)."""
    return SmtpSettings(host="127.0.0.1", port=server.port, sender="Mairie <ne-pas-repondre@mairie.example>")


@pytest.fixture
def settings(migrated: str, tmp_path: Path, smtp_settings: SmtpSettings) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url=migrated, secret_key="test-secret-" + "x" * 20,
                    base_url="http://testserver.local", smtp=smtp_settings, strict_plugins=True)


async def empty_database() -> None:
    tables = [t._meta.tablename for t in db.all_tables(db.app_configs(extra_app_modules()))]
    engine = db.engine()
    if db.is_postgres():
        await engine.run_ddl(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    else:
        async with db.write_transaction():
            await engine.run_ddl("PRAGMA defer_foreign_keys = ON")
            for table in tables:
                await engine.run_ddl(f"DELETE FROM {table}")
            await engine.run_ddl("DELETE FROM sqlite_sequence")  # ids from 1 again, as RESTART IDENTITY


@pytest.fixture
def socle_plugin() -> str | None:
    """Plugin authors override this with their plugin id: the app then loads only that plugin."""
    return None


@pytest.fixture
def plugin_ids(socle_plugin: str | None) -> list[str] | None:
    """The plugin ids the app loads (None: every installed `socle.plugins` entry point)."""
    return None if socle_plugin is None else [socle_plugin]


@pytest.fixture
def app_factory(settings: Settings, plugin_ids: list[str] | None) -> Any:
    """Builds the app; tests override it to add plugins or settings."""
    from core.web import create_app

    return lambda: create_app(settings, plugins=plugin_ids)


@pytest.fixture
async def app(app_factory: Any) -> AsyncIterator[Litestar]:
    application = app_factory()
    await empty_database()
    yield application
    if not db.is_postgres():  # idle SQLite connections are threads: close them or the process never exits
        await db.stop(db.engine())


Client = httpx.AsyncClient


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[Client]:
    """An HTTP client on the app, in the test's own event loop (so the database pool is shared with
    the test's factories), with the app's start-up and shut-down hooks run around it (Litestar's own
    test client runs the app in another thread and event loop, which an asyncpg pool refuses)."""
    for hook in app.on_startup:
        await app._call_lifespan_hook(hook)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://testserver.local") as test_client:
            yield test_client
    finally:
        for hook in reversed(app.on_shutdown):
            await app._call_lifespan_hook(hook)


# -- factories ---------------------------------------------------------------------------------


@dataclass
class OrgFixture:
    organisation_id: int
    owner_email: str
    owner_user_id: int
    office_id: int
    password: str = PASSWORD


@pytest.fixture
def make_org(app: Litestar) -> Any:
    """`await make_org("Mairie")` → an organisation with one office and its owner (password PASSWORD)."""
    from core.tenancy import services

    async def make(name: str = "Mairie de Test", owner_email: str | None = None) -> OrgFixture:
        email = owner_email or f"gerant@{services.slugify(name)}.example"
        user = await services.user_by_email(email) or await services.create_user(email, PASSWORD)
        organisation = await services.create_organisation(name, user, "Gérant " + name)
        from core.tenancy.tables import Office

        office = await Office.objects().where(Office.organisation == organisation.id).first()
        assert office is not None
        return OrgFixture(organisation.id, email, user.id, office.id)

    return make


@pytest.fixture
def add_member(app: Litestar) -> Any:
    """`await add_member(org, "basic")` → (member_id, email) of a new member with a login. An `email` that already
    has an account is attached directly, as if that person had accepted the invitation (a test shortcut: the app
    itself only attaches an existing account once it accepts, see core.tenancy.invitations)."""
    from core.auth.services import actor_for
    from core.tenancy import services

    async def add(org: OrgFixture, role: str, email: str | None = None,
                  office_ids: list[int] | None = None) -> tuple[int, str | None]:
        owner = await actor_for(org.owner_user_id, org.organisation_id)
        assert owner is not None
        if role == "intervenant":
            member, _ = await services.invite_member(owner, role, f"Intervenant {role}", None, None,
                                                     office_ids or [org.office_id])
            return member.id, None
        email = email or f"{role}-{org.organisation_id}@example.org"
        offices = [org.office_id] if office_ids is None else office_ids
        draft = await services.draft_member(owner, role, f"{role.title()} Test", email, PASSWORD, offices)
        if draft.user is not None:  # an existing account: attached as if it had accepted the invitation
            async with db.write_transaction():
                member = await services.add_membership(org.organisation_id, draft.user.id, draft.display_name,
                                                       draft.role, draft.office_ids)
            return member.id, email
        member, _ = await services.create_member(owner, draft)
        return member.id, email

    return add


async def api_token(client: Client, email: str, password: str = PASSWORD,
                    organisation_id: int | None = None) -> dict[str, str]:
    """Authorization headers for `email` (through POST /api/v1/auth/token)."""
    response = await client.post("/api/v1/auth/token", json={"email": email, "password": password,
                                                            "organisation_id": organisation_id})
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


async def csrf_token(client: Client, path: str = "/login") -> str:
    """The CSRF token of a form page (the cookie is set on the client)."""
    response = await client.get(path)
    match = CSRF_RE.search(response.text)
    assert match, f"no CSRF field on {path}"
    return match.group(1)


async def login(client: Client, email: str, password: str = PASSWORD) -> None:
    token = await csrf_token(client)
    response = await client.post("/login", data={"email": email, "password": password, "_csrf_token": token},
                                 follow_redirects=False)
    assert response.status_code in (302, 303), response.text


async def submit(client: Client, form_path: str, action: str, data: dict[str, Any]) -> Any:
    """Open a form page, then post `data` with its CSRF token, as a browser does (with a Referer; no
    redirects followed)."""
    token = await csrf_token(client, form_path)
    return await client.post(action, data={**data, "_csrf_token": token}, follow_redirects=False,
                             headers={"Referer": f"http://testserver.local{form_path}"})


async def deliver_outbox(settings: Settings, registry: Any = None) -> int:
    """Run a worker until nothing is due (what `socle worker` does in production); returns messages handled.
    Pass `app.state.jobs` to run the app's plugin jobs too."""
    import core.notify  # noqa: F401  (registers the email, SMS and webhook channels)
    from core import jobs

    return await jobs.Worker(settings, registry or jobs.default_registry).run(until_idle=True)


def sent_mails(settings: Settings) -> list[EmailMessage]:
    """Messages written by the file mail backend (no SMTP configured), oldest first; call
    `deliver_outbox(settings)` first."""
    folder = settings.data_dir / "mail"
    paths = sorted(folder.glob("*.eml")) if folder.exists() else []
    return [message_from_bytes(p.read_bytes(), policy=policy.default) for p in paths]  # type: ignore[misc]


def mail_text(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    return body.get_content() if body else ""
