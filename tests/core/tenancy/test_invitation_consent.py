"""An existing account is never attached silently: adding it sends an invitation with an accept link, and the
membership exists only once that person accepts. New accounts and intervenants keep the immediate flow."""

import re

import httpx

from core.auth.tables import AuditEntry
from core.testing.fixtures import PASSWORD, api_token, csrf_token, deliver_outbox, login, mail_text, sent_mails, submit


def invitation_link(settings, email: str) -> str:
    [mail] = [m for m in sent_mails(settings) if m["To"] == email]
    return re.search(r"http://testserver.local(/invitation/\S+)", mail_text(mail)).group(1)


async def member_emails(client, headers) -> set[str]:
    return {m["email"] for m in (await client.get("/api/v1/members", headers=headers)).json()}


async def test_admin_adding_a_user_of_another_organisation_sends_an_invitation(app, client, make_org, settings):
    town, school = await make_org("Mairie"), await make_org("Auto-école")
    await login(client, town.owner_email)
    form = await client.get("/config/members/new")
    assert "le mot de passe saisi ici est ignoré" in form.text
    added = await submit(client, "/config/members/new", "/config/members", {
        "role": "basic", "display_name": "Claire", "email": school.owner_email, "password": "imposé-par-la-mairie",
        "office_ids": str(town.office_id)})
    assert added.status_code in (302, 303)
    page = await client.get("/config")
    assert "Invitation envoyée à Claire" in page.text and "invitation envoyée" in page.text
    # not a member yet: not listed, and no token or page for that organisation
    headers = await api_token(client, town.owner_email)
    assert school.owner_email not in await member_emails(client, headers)
    refused = await client.post("/api/v1/auth/token", json={"email": school.owner_email, "password": PASSWORD,
                                                          "organisation_id": town.organisation_id})
    assert refused.status_code == 404
    # the staff-chosen password is ignored
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver.local") as claire:
        await login(claire, school.owner_email, PASSWORD)
        await deliver_outbox(settings)
        link = invitation_link(settings, school.owner_email)
        shown = await claire.get(link)
        assert "« Mairie » vous invite à la rejoindre" in shown.text and "Agent" in shown.text
        accepted = await claire.post(link + "/accepter", data={"_csrf_token": await csrf_token(claire, link)},
                                     follow_redirects=True)
        assert "Vous avez rejoint « Mairie »." in accepted.text
        switcher = (await claire.get("/dashboard")).text
        assert f'<option value="{town.organisation_id}"' in switcher and "Mairie" in switcher
    assert school.owner_email in await member_emails(client, headers)
    [claire_member] = [m for m in (await client.get("/api/v1/members", headers=headers)).json()
                       if m["email"] == school.owner_email]
    assert claire_member == {**claire_member, "role": "basic", "display_name": "Claire",
                             "office_ids": [town.office_id]}
    assert "invitation envoyée" not in (await client.get("/config")).text
    assert await AuditEntry.exists().where(AuditEntry.action == "member.invitation_accepted")
    # the link works once
    again = await client.get(link)
    assert again.status_code == 404 and "n&#39;est plus valable" in again.text


async def test_api_answers_202_with_the_pending_invitation_and_can_cancel_it(client, make_org, settings):
    town, school = await make_org("Mairie"), await make_org("Auto-école")
    headers = await api_token(client, town.owner_email)
    response = await client.post("/api/v1/members", headers=headers, json={
        "role": "admin", "display_name": "Claire", "email": school.owner_email})
    assert response.status_code == 202, response.text
    invitation = response.json()
    assert invitation == {"id": invitation["id"], "display_name": "Claire", "role": "admin",
                          "email": school.owner_email, "office_ids": [], "status": "pending"}
    assert [i["id"] for i in (await client.get("/api/v1/invitations", headers=headers)).json()] == [invitation["id"]]
    twice = await client.post("/api/v1/members", headers=headers, json={"role": "basic", "email": school.owner_email})
    assert twice.status_code == 422
    assert twice.json()["errors"][0]["field"] == "email"
    assert (await client.delete(f"/api/v1/invitations/{invitation['id']}", headers=headers)).status_code == 204
    assert (await client.get("/api/v1/invitations", headers=headers)).json() == []
    await deliver_outbox(settings)
    assert (await client.get(invitation_link(settings, school.owner_email))).status_code == 404
    # another organisation's invitation id is a 404
    other = await api_token(client, school.owner_email)
    assert (await client.delete(f"/api/v1/invitations/{invitation['id']}", headers=other)).status_code == 404


async def test_declining_leaves_the_person_out(client, make_org, settings):
    town, school = await make_org("Mairie"), await make_org("Auto-école")
    headers = await api_token(client, town.owner_email)
    await client.post("/api/v1/members", headers=headers, json={"role": "basic", "email": school.owner_email})
    await deliver_outbox(settings)
    link = invitation_link(settings, school.owner_email)
    declined = await client.post(link + "/refuser", data={"_csrf_token": await csrf_token(client, link)},
                                 follow_redirects=True)
    assert "Vous avez refusé l&#39;invitation de « Mairie »." in declined.text
    assert school.owner_email not in await member_emails(client, headers)
    assert (await client.get("/api/v1/invitations", headers=headers)).json() == []
    refused = await client.post(link + "/accepter", data={"_csrf_token": await csrf_token(client, "/login")})
    assert refused.status_code == 404


async def test_a_new_account_still_joins_at_once(client, make_org, settings):
    town = await make_org("Mairie")
    headers = await api_token(client, town.owner_email)
    response = await client.post("/api/v1/members", headers=headers,
                                 json={"role": "basic", "email": "neuf@example.org"})
    assert response.status_code == 201
    assert response.json()["email"] == "neuf@example.org"
    assert "neuf@example.org" in await member_emails(client, headers)
    await deliver_outbox(settings)
    [mail] = sent_mails(settings)
    assert "/password/reset/" in mail_text(mail) and "/invitation/" not in mail_text(mail)
