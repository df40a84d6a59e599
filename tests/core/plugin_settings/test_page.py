"""The "Réglages du module" page generated from the Struct: one input per field (text, number, checkbox,
select) labelled from msgspec.Meta titles or field names, saved with CSRF and « Réglages enregistrés »,
errors shown next to the field (nothing saved), linked from the menu for admins only; basic members 403,
another organisation or an office without the module 404."""

import re

from core.testing.fixtures import api_token, csrf_token, login, submit

API = "/api/v1/offices/{}/m/reglages/settings"


def page(office_id: int) -> str:
    return f"/offices/{office_id}/m/reglages/settings"


async def test_form_shows_every_field_with_its_label_and_default(client, office):
    org, _, _ = office
    await login(client, org.owner_email)
    html = (await client.get(page(org.office_id))).text
    assert "Réglages du module « Module réglable »" in html
    assert "Message d&#39;accueil" in html and "Affiché en haut de la page" in html  # Meta title, description
    assert re.search(r'<input type="text" id="setting-greeting" name="greeting" value="Bonjour" maxlength="40" '
                     r'aria-describedby="setting-greeting-help">', html)
    assert 'id="setting-greeting-help">Affiché en haut de la page' in html
    assert '<input type="number" id="setting-max_per_day" name="max_per_day" value="10">' in html
    assert 'Max per day' in html  # label from the field name
    assert re.search(r'<input type="checkbox" id="setting-sms_enabled" name="sms_enabled" value="true">', html)
    assert '<option value="email" selected>email</option><option value="sms">sms</option>' in html
    assert '<option value="formel" selected>formel</option><option value="amical">amical</option>' in html


async def test_save_through_the_form_then_read_through_the_api(client, office):
    org, headers, _ = office
    await login(client, org.owner_email)
    response = await submit(client, page(org.office_id), page(org.office_id), {
        "greeting": "Bienvenue en mairie", "max_per_day": "25", "sms_enabled": "true", "channel": "courrier",
        "tone": "amical"})
    assert response.status_code in (302, 303), response.text
    assert response.headers["location"] == page(org.office_id)
    html = (await client.get(page(org.office_id))).text
    assert "Réglages enregistrés" in html and 'value="Bienvenue en mairie"' in html
    assert (await client.get(API.format(org.office_id), headers=headers)).json() == {
        "greeting": "Bienvenue en mairie", "max_per_day": 25, "sms_enabled": True, "channel": "courrier",
        "tone": "amical"}
    # unticking the checkbox: the browser sends nothing for it
    await submit(client, page(org.office_id), page(org.office_id), {
        "greeting": "Bienvenue en mairie", "max_per_day": "25", "channel": "courrier", "tone": "amical"})
    assert (await client.get(API.format(org.office_id), headers=headers)).json()["sms_enabled"] is False


async def test_errors_are_shown_next_to_their_field_and_nothing_is_saved(client, office):
    org, headers, _ = office
    await login(client, org.owner_email)
    response = await submit(client, page(org.office_id), page(org.office_id), {
        "greeting": "", "max_per_day": "beaucoup", "channel": "email", "tone": "formel"})
    assert response.status_code == 422
    assert re.search(r'id="setting-greeting-error" role="alert">Saisissez entre 1 et 40 caractères\.<', response.text)
    assert re.search(r'id="setting-max_per_day-error" role="alert">Saisissez un nombre entier\.<', response.text)
    assert 'value="beaucoup"' in response.text  # what was typed is kept
    assert (await client.get(API.format(org.office_id), headers=headers)).json()["greeting"] == "Bonjour"


async def test_post_without_csrf_token_is_refused(client, office):
    org, headers, _ = office
    await login(client, org.owner_email)
    await csrf_token(client, page(org.office_id))
    response = await client.post(page(org.office_id), data={"greeting": "Sans jeton"}, follow_redirects=False)
    assert response.status_code == 403
    assert (await client.get(API.format(org.office_id), headers=headers)).json()["greeting"] == "Bonjour"


async def test_menu_link_and_role_matrix(client, office, make_org, add_member):
    org, _, second = office
    _, basic_email = await add_member(org, "basic")
    _, admin_email = await add_member(org, "admin")
    await login(client, admin_email)
    dashboard = (await client.get("/dashboard")).text
    assert f'href="{page(org.office_id)}"' in dashboard and "Réglages du module — Module réglable" in dashboard
    assert (await client.get(page(org.office_id))).status_code == 200
    assert (await client.get(page(second))).status_code == 404  # module inactive in that office
    client.cookies.clear()
    await login(client, basic_email)
    assert "Réglages du module" not in (await client.get("/dashboard")).text
    assert (await client.get(page(org.office_id))).status_code == 403
    token = await csrf_token(client, "/dashboard")
    refused = await client.post(page(org.office_id), data={"greeting": "Basic", "_csrf_token": token},
                                follow_redirects=False)
    assert refused.status_code == 403
    client.cookies.clear()
    other = await make_org("Autre Mairie")
    await login(client, other.owner_email)
    assert (await client.get(page(org.office_id))).status_code == 404
    headers = await api_token(client, org.owner_email)
    assert (await client.get(API.format(org.office_id), headers=headers)).json()["greeting"] == "Bonjour"
