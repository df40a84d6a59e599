"""Tenant isolation: another organisation's ids answer 404 on every API route, and never leak data."""

import pytest

from core.testing.fixtures import api_token


@pytest.fixture
async def two_orgs(client, make_org, add_member):
    a = await make_org("Mairie A")
    b = await make_org("Mairie B")
    b_member, _ = await add_member(b, "basic")
    return a, b, b_member


ROUTES_WITH_FOREIGN_IDS = [
    ("GET", "/api/v1/offices/{office}", None),
    ("PATCH", "/api/v1/offices/{office}", {"name": "Piraté"}),
    ("GET", "/api/v1/members/{member}", None),
    ("PATCH", "/api/v1/members/{member}", {"role": "admin"}),
    ("DELETE", "/api/v1/members/{member}", None),
]


@pytest.mark.parametrize(("method", "path", "body"), ROUTES_WITH_FOREIGN_IDS)
async def test_foreign_ids_answer_404(client, two_orgs, method, path, body):
    a, b, b_member = two_orgs
    headers = await api_token(client, a.owner_email)
    url = path.format(office=b.office_id, member=b_member)
    response = await client.request(method, url, headers=headers, json=body)
    assert response.status_code == 404, response.text
    assert "Piraté" not in response.text
    # the other organisation's data is untouched
    b_headers = await api_token(client, b.owner_email)
    office = await client.get(f"/api/v1/offices/{b.office_id}", headers=b_headers)
    assert office.json()["name"] == "Mairie B"
    member = await client.get(f"/api/v1/members/{b_member}", headers=b_headers)
    assert member.json()["role"] == "basic"


async def test_invite_into_foreign_office_is_refused(client, two_orgs):
    a, b, _ = two_orgs
    headers = await api_token(client, a.owner_email)
    response = await client.post("/api/v1/members", headers=headers, json={
        "role": "basic", "email": "x@example.org", "office_ids": [b.office_id]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "office_ids"


async def test_lists_only_show_own_organisation(client, two_orgs):
    a, _b, _ = two_orgs
    headers = await api_token(client, a.owner_email)
    offices = (await client.get("/api/v1/offices", headers=headers)).json()
    members = (await client.get("/api/v1/members", headers=headers)).json()
    assert [o["id"] for o in offices] == [a.office_id]
    assert all("Mairie B" not in m["display_name"] for m in members)
    assert len(members) == 1


async def test_token_for_an_organisation_one_is_not_member_of(client, two_orgs):
    a, b, _ = two_orgs
    response = await client.post("/api/v1/auth/token", json={
        "email": a.owner_email, "password": a.password, "organisation_id": b.organisation_id})
    assert response.status_code == 404


async def test_foreign_office_in_pages_answers_404(client, two_orgs):
    from core.testing.fixtures import login

    a, b, _ = two_orgs
    await login(client, a.owner_email)
    assert (await client.get(f"/config/offices/{b.office_id}")).status_code == 404
    page = await client.get("/config/members/999999")
    assert page.status_code == 404
    assert "Page introuvable" in page.text
