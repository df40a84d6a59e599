"""The Hello gateway, tested with core.testing's plugin fixtures: an app with only this plugin, an office
where it is active, a migrated temporary database."""

from core.testing.fixtures import api_token, login


async def test_greetings_api_in_the_active_office(client, office_with_plugin):
    headers = await api_token(client, office_with_plugin.owner_email)
    base = f"/api/v1/offices/{office_with_plugin.office_id}/m/hello_gateway/greetings"
    created = await client.post(base, headers=headers, json={"message": "Bienvenue !"})
    assert created.status_code == 201, created.text
    assert (await client.get(base, headers=headers)).json() == [{"id": created.json()["id"], "message": "Bienvenue !"}]
    empty = await client.post(base, headers=headers, json={"message": "  "})
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "message"


async def test_page_menu_widget_and_public_status(client, office_with_plugin):
    await login(client, office_with_plugin.owner_email)
    page = await client.get(f"/offices/{office_with_plugin.office_id}/m/hello_gateway/")
    assert page.status_code == 200 and "Passerelle Hello — " in page.text
    dashboard = await client.get("/dashboard")
    assert "Passerelle Hello" in dashboard.text and "0 message" in dashboard.text
    status = await client.get(f"/public/offices/{office_with_plugin.office_id}/m/hello_gateway/status")
    assert status.json()["module"] == "hello_gateway"


async def test_inactive_office_answers_404(client, make_org):
    org = await make_org("Sans module")
    headers = await api_token(client, org.owner_email)
    response = await client.get(f"/api/v1/offices/{org.office_id}/m/hello_gateway/greetings", headers=headers)
    assert response.status_code == 404


async def test_only_this_plugin_is_loaded(app):
    assert app.state.plugins.healthy_ids() == {"hello_gateway"}


async def test_greeting_setting_shown_on_the_page_and_the_public_status(client, office_with_plugin):
    """The per-office settings (MANIFEST.settings = HelloSettings): defaults, saved through the API, read
    back by the module; switching the public status off makes it 404."""
    office_id = office_with_plugin.office_id
    headers = await api_token(client, office_with_plugin.owner_email)
    settings_url = f"/api/v1/offices/{office_id}/m/hello_gateway/settings"
    status_url = f"/public/offices/{office_id}/m/hello_gateway/status"
    assert (await client.get(settings_url, headers=headers)).json() == {
        "greeting": "Bonjour !", "show_public_status": True, "signature": "L'équipe", "api_key": ""}
    assert (await client.get(status_url)).json()["greeting"] == "Bonjour !"
    too_long = await client.put(settings_url, headers=headers, json={"greeting": "x" * 121})
    assert too_long.status_code == 422 and too_long.json()["errors"][0]["field"] == "greeting"
    saved = await client.put(settings_url, headers=headers, json={"greeting": "Bienvenue à l'annexe"})
    assert saved.status_code == 200, saved.text
    await login(client, office_with_plugin.owner_email)
    page = await client.get(f"/offices/{office_id}/m/hello_gateway/")
    assert '<p class="hello-greeting">Bienvenue à l&#39;annexe</p>' in page.text
    settings_page = await client.get(f"/offices/{office_id}/m/hello_gateway/settings")
    assert "Message d&#39;accueil" in settings_page.text and "Page d&#39;état publique" in settings_page.text
    await client.put(settings_url, headers=headers, json={"show_public_status": False})
    assert (await client.get(status_url)).status_code == 404


async def test_api_key_is_secret_and_signature_comes_from_the_organisation(client, office_with_plugin):
    office_id = office_with_plugin.office_id
    headers = await api_token(client, office_with_plugin.owner_email)
    settings_url = f"/api/v1/offices/{office_id}/m/hello_gateway/settings"
    saved = await client.put(settings_url, headers=headers, json={"api_key": "hello-0123456789-abcd"})
    assert saved.json()["api_key"] == "•••• abcd"
    shared = await client.put("/api/v1/organisation/m/hello_gateway/settings", headers=headers,
                              json={"signature": "La mairie"})
    assert shared.status_code == 200, shared.text
    assert (await client.get(settings_url, headers=headers)).json()["signature"] == "La mairie"
    assert (await client.get(settings_url + "/sources", headers=headers)).json()["signature"] == "organisation"


async def test_sunday_bookings_are_refused_in_the_office(client, office_with_plugin):
    from datetime import date, timedelta

    office_id = office_with_plugin.office_id
    headers = await api_token(client, office_with_plugin.owner_email)
    calendars = f"/api/v1/offices/{office_id}/calendars"
    calendar = (await client.post(calendars + "/", headers=headers, json={"name": "Accueil"})).json()
    sunday = date.today() + timedelta(days=13 - date.today().weekday())
    body = {"start": f"{sunday}T10:00:00+01:00", "end": f"{sunday}T10:30:00+01:00", "allow_outside_hours": True}
    refused = await client.post(f"{calendars}/{calendar['id']}/bookings", headers=headers, json=body)
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["message"] == "La passerelle Hello ne prend pas de rendez-vous le dimanche."


async def test_static_files_are_served_with_cache_headers(client, office_with_plugin):
    await login(client, office_with_plugin.owner_email)
    page = await client.get(f"/offices/{office_with_plugin.office_id}/m/hello_gateway/")
    assert '<link rel="stylesheet" href="/static/m/hello_gateway/hello.css">' in page.text
    css = await client.get("/static/m/hello_gateway/hello.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "max-age=86400" in css.headers["cache-control"] and ".hello-greeting" in css.text
    assert (await client.get("/static/m/hello_gateway/../hooks.py")).status_code == 404
    assert (await client.get("/static/m/hello_gateway/absent.css")).status_code == 404


async def test_an_office_sends_its_sms_through_the_hello_provider(client, app, office_with_plugin, caplog):
    import logging

    from core import db, jobs
    from core.notify import enqueue_sms

    caplog.set_level(logging.INFO)
    office_id = office_with_plugin.office_id
    headers = await api_token(client, office_with_plugin.owner_email)
    chosen = await client.put(f"/api/v1/offices/{office_id}/providers/sms", headers=headers,
                              json={"provider": "hello_gateway.sms", "settings": {"signature": "— L'auto-école"}})
    assert chosen.status_code == 200, chosen.text
    async with db.write_transaction():
        await enqueue_sms("0612345678", "Rendez-vous confirmé", organisation_id=office_with_plugin.organisation_id,
                          office_id=office_id)
    await jobs.Worker(app.state.settings, app.state.jobs).run(until_idle=True)
    assert f"SMS Hello (bureau {office_id}) : Rendez-vous confirmé — L'auto-école" in caplog.text


async def test_office_page_shows_the_greeting_count_in_its_slot(client, office_with_plugin):
    """render_slot (API 1.2): the office page of the active office carries the module's text."""
    office_id = office_with_plugin.office_id
    headers = await api_token(client, office_with_plugin.owner_email)
    added = await client.post(f"/api/v1/offices/{office_id}/m/hello_gateway/greetings", headers=headers,
                              json={"message": "Bonjour"})
    assert added.status_code == 201
    await login(client, office_with_plugin.owner_email)
    page = await client.get(f"/config/offices/{office_id}")
    assert page.status_code == 200
    assert "Passerelle Hello : 1 salutation(s) pour ce bureau." in page.text
