"""Every response carries an X-Request-ID (the caller's when it is a plain token); error pages show it and
every log line written during the request carries it, as text or as JSON."""

import io
import json
import logging
import re

import httpx
from litestar import get

from core.ops.logs import TEXT_FORMAT, JsonFormatter, RequestIdFilter, logging_config


async def test_each_response_has_a_request_id(client):
    first, second = await client.get("/healthz"), await client.get("/login")
    assert re.fullmatch(r"[0-9a-f]{16}", first.headers["x-request-id"])
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


async def test_the_callers_id_is_kept_when_plain_and_replaced_otherwise(client):
    kept = await client.get("/healthz", headers={"X-Request-ID": "lb-42.a_b"})
    assert kept.headers["x-request-id"] == "lb-42.a_b"
    replaced = await client.get("/healthz", headers={"X-Request-ID": "<script>" + "x" * 70})
    assert re.fullmatch(r"[0-9a-f]{16}", replaced.headers["x-request-id"])


async def test_error_pages_show_the_reference(client):
    response = await client.get("/nulle-part")  # an unknown path: answered outside any route
    assert response.status_code == 404
    assert f"Référence de la demande : <code>{response.headers['x-request-id']}</code>" in response.text
    api = await client.get("/api/v1/nulle-part")
    assert api.status_code == 404 and api.headers["x-request-id"]


async def test_log_lines_of_a_request_carry_its_id_text_and_json(app):
    @get("/boom", include_in_schema=False)
    async def boom() -> str:
        logging.getLogger("socle.test").warning("avant l'échec")
        raise RuntimeError("secret interne")

    app.register(boom)
    text, as_json = io.StringIO(), io.StringIO()
    handlers = [logging.StreamHandler(text), logging.StreamHandler(as_json)]
    handlers[0].setFormatter(logging.Formatter(TEXT_FORMAT))
    handlers[1].setFormatter(JsonFormatter())
    root = logging.getLogger()
    for handler in handlers:
        handler.addFilter(RequestIdFilter())
        root.addHandler(handler)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
                                     base_url="http://testserver.local") as client:
            response = await client.get("/boom", headers={"X-Request-ID": "demande-7"})
        logging.getLogger("socle.test").warning("hors requête")
    finally:
        for handler in handlers:
            root.removeHandler(handler)
    assert response.status_code == 500 and "demande-7" in response.text
    lines = text.getvalue().splitlines()
    assert any("WARNING socle.test [demande-7]: avant l'échec" in line for line in lines)
    assert any("ERROR socle.web [demande-7]: unhandled error on GET /boom" in line for line in lines)
    assert lines[-1].endswith("WARNING socle.test [-]: hors requête")
    records = [json.loads(line) for line in as_json.getvalue().splitlines()]
    error = next(r for r in records if r["logger"] == "socle.web")
    assert error["request_id"] == "demande-7" and error["level"] == "ERROR"
    assert "RuntimeError: secret interne" in error["exception"]
    assert records[-1]["request_id"] == "-" and records[-1]["message"] == "hors requête"


def test_logging_config_switches_to_json(settings):
    import dataclasses

    assert "format" in logging_config(settings)["formatters"]["socle"]
    assert logging_config(dataclasses.replace(settings, log_json=True))["formatters"]["socle"] == {
        "()": JsonFormatter}


async def test_access_lines_carry_the_request_id(client):
    """`socle serve --access-log`: one line per request, written inside the request (so with its id)."""
    from core.ops.logs import ACCESS

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    handler.addFilter(RequestIdFilter())
    ACCESS.addHandler(handler)
    ACCESS.setLevel(logging.INFO)
    try:
        await client.get("/nulle-part", headers={"X-Request-ID": "acces-1"})
    finally:
        ACCESS.setLevel(logging.NOTSET)
        ACCESS.removeHandler(handler)
    (line,) = stream.getvalue().splitlines()
    assert '[acces-1]: 127.0.0.1 "GET /nulle-part" 404' in line and line.endswith(" ms")
