"""The CSRF check skips the token API only: a page whose path merely contains « /api » keeps it."""

from litestar import post

from core.testing.fixtures import csrf_token


@post("/offices/probe/api-keys", status_code=200, sync_to_thread=False)
def probe() -> dict[str, bool]:
    return {"written": True}


async def test_a_page_path_containing_api_is_csrf_protected(app, client):
    app.register(probe)
    refused = await client.post("/offices/probe/api-keys", data={"x": "1"})
    assert refused.status_code == 403
    token = await csrf_token(client)
    accepted = await client.post("/offices/probe/api-keys", data={"_csrf_token": token})
    assert accepted.json() == {"written": True}


async def test_the_token_api_needs_no_csrf_token(client):
    response = await client.post("/api/v1/auth/token", json={"email": "x@example.fr", "password": "y"})
    assert response.status_code == 401
