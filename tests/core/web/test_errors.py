"""Error pages are French (HTML) or JSON with `detail` (API); an unexpected failure never shows a trace."""

from litestar import get

from core.testing.fixtures import login


async def test_unknown_page_is_a_french_404(client):
    response = await client.get("/nulle-part")
    assert response.status_code == 404
    assert "Page introuvable" in response.text and "existe pas." in response.text


async def test_unknown_api_path_is_json(client):
    response = await client.get("/api/v1/nulle-part")
    assert response.status_code == 404
    assert response.json() == {"detail": "Cette page n'existe pas.", "errors": []}


async def test_unexpected_error_is_a_french_500_without_details(app, make_org):
    import httpx

    @get("/boom", include_in_schema=False)
    async def boom() -> str:
        raise RuntimeError("secret interne")

    @get("/api/v1/boom", include_in_schema=False)
    async def api_boom() -> str:
        raise RuntimeError("secret interne")

    app.register(boom)
    app.register(api_boom)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
                                 base_url="http://testserver.local") as client:
        page = await client.get("/boom")
        assert page.status_code == 500
        assert "Erreur du serveur" in page.text and "secret interne" not in page.text
        api = await client.get("/api/v1/boom")
        assert api.status_code == 500 and "secret" not in api.text and api.json()["detail"]


async def test_openapi_schema_lists_the_api(client, make_org):
    schema = (await client.get("/schema/openapi.json")).json()
    assert "/api/v1/offices" in schema["paths"] and "/api/v1/auth/token" in schema["paths"]
    assert "/login" not in schema["paths"]


async def test_dashboard_shows_switcher_for_several_organisations(client, make_org):
    first = await make_org("Mairie A", owner_email="cumul@example.org")
    await make_org("Mairie B", owner_email="cumul@example.org")
    await login(client, first.owner_email)
    page = await client.get("/dashboard")
    assert 'name="organisation_id"' in page.text and "Mairie B" in page.text
