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


def test_the_api_runs_through_no_route_middleware(app):
    """No session, no CSRF check, hence no inner exception layer on /api routes (their cost per request);
    pages keep both."""
    from litestar._asgi.routing_trie.mapping import build_route_middleware_stack

    def stack(path: str) -> list[str]:
        route = next(r for r in app.routes if r.path == path)
        layer, names = build_route_middleware_stack(app=app, route=route, route_handler=route.route_handlers[0]), []
        while layer is not None:
            names.append(getattr(layer, "__qualname__", type(layer).__name__))
            layer = getattr(layer, "app", None)
        return names

    assert stack("/api/v1/offices") == ["HTTPRoute.handle"]
    assert stack("/login")[:2] == ["SessionMiddleware", "CSRFMiddleware"]
