"""Ma configuration pages: create an office, invite a member, who then logs in."""

import re

from core.testing.fixtures import deliver_outbox, login, mail_text, sent_mails, submit


async def test_owner_creates_office_and_invites_member_who_logs_in(client, make_org, settings):
    org = await make_org("Auto-école du Centre")
    await login(client, org.owner_email)
    created = await submit(client, "/config/offices/new", "/config/offices",
                           {"name": "Annexe Gare", "address": "1 place de la Gare", "timezone": "Europe/Paris"})
    assert created.status_code in (302, 303)
    config = await client.get("/config")
    assert "Annexe Gare" in config.text
    office_id = re.search(r'/config/offices/(\d+)">Modifier</a></td></tr>\s*</tbody>', config.text).group(1)
    invited = await submit(client, "/config/members/new", "/config/members", {
        "role": "basic", "display_name": "Léa Petit", "email": "lea@example.org", "office_ids": office_id})
    assert invited.status_code in (302, 303)
    page = await client.get("/config")
    assert "Léa Petit" in page.text and "a été ajouté(e)" in page.text
    await deliver_outbox(settings)
    invitation = mail_text(sent_mails(settings)[0])
    assert "Auto-école du Centre" in invitation
    link = re.search(r"http://testserver.local(/password/reset/\S+)", invitation).group(1)
    client.cookies.clear()
    await submit(client, link, link, {"password": "mot-de-passe-lea", "confirmation": "mot-de-passe-lea"})
    await login(client, "lea@example.org", "mot-de-passe-lea")
    dashboard = await client.get("/dashboard")
    assert "Léa Petit" in dashboard.text and "Annexe Gare" in dashboard.text


async def test_bad_office_form_shows_french_error_and_writes_nothing(client, make_org):
    org = await make_org()
    await login(client, org.owner_email)
    response = await submit(client, "/config/offices/new", "/config/offices", {"name": " ", "timezone": "Mars/Olympus"})
    assert response.status_code in (302, 303)
    page = await client.get(response.headers["location"])
    assert "Le nom du bureau est obligatoire." in page.text
    assert "Fuseau horaire inconnu" in page.text
    assert (await client.get("/config")).text.count("/config/offices/") == 2  # "new" link + the one office


async def test_last_owner_demotion_in_pages_shows_message(client, make_org):
    org = await make_org()
    await login(client, org.owner_email)
    config = await client.get("/config")
    member_id = re.search(r"/config/members/(\d+)", config.text).group(1)
    response = await submit(client, f"/config/members/{member_id}", f"/config/members/{member_id}", {"role": "admin"})
    page = await client.get(response.headers["location"])
    assert "dernier gérant" in page.text


async def test_audit_page_lists_logins_and_role_changes(client, make_org, add_member):
    org = await make_org()
    _, email = await add_member(org, "basic")
    await login(client, org.owner_email)
    config = await client.get("/config")
    member_id = re.findall(r"/config/members/(\d+)", config.text)[-1]
    await submit(client, f"/config/members/{member_id}", f"/config/members/{member_id}", {"role": "admin"})
    page = await client.get("/config/audit")
    assert "auth.login" in page.text and org.owner_email in page.text
    assert "member.role_changed" in page.text and "Agent → Administrateur" in page.text
    client.cookies.clear()
    await login(client, email)
    assert (await client.get("/config/audit")).status_code == 200  # now an admin


async def test_admin_sees_the_owner_read_only(client, make_org, add_member):
    """An admin may not change the owner: the page shows the owner's role, no form, no « Retirer »."""
    from core.tenancy.tables import Member

    org = await make_org()
    _, admin_email = await add_member(org, "admin")
    owner = await Member.select(Member.id).where((Member.organisation == org.organisation_id)
                                                 & (Member.role == "owner")).first()
    await login(client, admin_email)
    page = await client.get(f"/config/members/{owner['id']}")
    assert page.status_code == 200
    assert 'id="read-only"' in page.text and "Rôle : <strong>Gérant" in page.text
    assert "Retirer de l'organisation" not in page.text and 'name="role"' not in page.text
    client.cookies.clear()
    await login(client, org.owner_email)  # the owner still gets the form, the owner's role selected
    mine = await client.get(f"/config/members/{owner['id']}")
    assert re.search(r'<option value="owner" selected>', mine.text) and "Retirer de l'organisation" in mine.text


async def test_refused_invitation_keeps_what_was_typed(client, make_org):
    org = await make_org()
    await login(client, org.owner_email)
    refused = await submit(client, "/config/members/new", "/config/members", {
        "role": "basic", "display_name": "Léa Petit", "email": "pas-un-email", "office_ids": str(org.office_id)})
    assert refused.status_code == 422
    assert 'value="Léa Petit"' in refused.text and 'value="pas-un-email"' in refused.text
    assert re.search(r'<option value="basic" selected>', refused.text)
    assert re.search(rf'value="{org.office_id}" checked', refused.text)
    assert 'id="email-error"' in refused.text
