"""/healthz answers while the process runs; /readyz says whether it can serve (database, migrations,
plugins), with a French reason per failed check and 503. Neither opens a session nor sets a CSRF cookie."""

import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest

from core import db
from core.web import create_app


@asynccontextmanager
async def client_for(app, *, start: bool = True) -> AsyncIterator[httpx.AsyncClient]:
    if start:
        for hook in app.on_startup:
            await app._call_lifespan_hook(hook)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t.local") as client:
            yield client
    finally:
        if start:
            for hook in reversed(app.on_shutdown):
                await app._call_lifespan_hook(hook)
        else:
            await db.stop(db.engine())


async def test_healthz_answers_without_cookies(client):
    response = await client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "set-cookie" not in response.headers


async def test_readyz_on_a_migrated_database(client):
    response = await client.get("/readyz")
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "ok"}
    assert "set-cookie" not in response.headers and response.headers["cache-control"] == "no-store"
    again = await client.get("/readyz")  # migrations are then known applied: one SELECT 1
    assert again.status_code == 200


@pytest.mark.nodb
async def test_readyz_before_migrate(settings, tmp_path):
    empty = dataclasses.replace(settings, database_url=f"sqlite:///{tmp_path}/vide.sqlite")
    async with client_for(create_app(empty)) as client:
        response = await client.get("/readyz")
        assert (await client.get("/healthz")).status_code == 200
    assert response.status_code == 503
    body = response.json()
    assert body["detail"] == "Ce processus n'est pas prêt à servir."
    assert [e["field"] for e in body["errors"]] == ["migrations"]
    assert "lancez « socle migrate »" in body["errors"][0]["message"]


async def test_readyz_with_a_plugin_that_failed(settings):
    lenient = dataclasses.replace(settings, strict_plugins=False)
    async with client_for(create_app(lenient, plugins=["rdv_service_public", "module_absent"])) as client:
        response = await client.get("/readyz")
    assert response.status_code == 503
    (error,) = response.json()["errors"]
    assert error["field"] == "plugins.module_absent"
    assert error["message"].startswith("Le module « module_absent » est indisponible")


@pytest.mark.nodb
async def test_readyz_when_the_database_cannot_be_reached(settings, tmp_path):
    unreachable = dataclasses.replace(settings, database_url=f"sqlite:///{tmp_path}/absent/dossier/base.sqlite")
    async with client_for(create_app(unreachable, manage_database=False), start=False) as client:
        response = await client.get("/readyz")
        assert (await client.get("/healthz")).status_code == 200
    assert response.status_code == 503
    assert response.json()["errors"] == [{"field": "database",
                                          "message": "La base de données ne répond pas (OperationalError)."}]
