"""The process's API token cache (core.auth.token_cache): a cached token costs no statement, and every change
of what a token grants takes effect on the very next request of this process; a change made elsewhere (another
app process) within the TTL."""

import asyncio
import re

import pytest

from core import db
from core.auth import services, token_cache
from core.auth.tables import ApiToken
from core.operators import accounts, suspension
from core.operators.tables import Operator
from core.tenancy.actor import Actor
from core.tenancy.roles import Role
from core.testing.fixtures import api_token, csrf_token, deliver_outbox, mail_text, sent_mails

REFUSED = "Jeton d'API invalide ou révoqué."


async def invite(client, owner, role: str, email: str) -> tuple[int, dict[str, str]]:
    """A member with that role (through the API) and their token headers, already used once (so cached)."""
    created = await client.post("/api/v1/members", headers=owner, json={
        "role": role, "email": email, "display_name": "Agent", "password": "motdepasse1"})
    assert created.status_code == 201, created.text
    headers = await api_token(client, email, "motdepasse1")
    assert (await client.get("/api/v1/offices", headers=headers)).status_code == 200
    return created.json()["id"], headers


async def test_a_cached_token_costs_the_office_list_alone(client, make_org):
    if db.is_postgres():
        pytest.skip("the statement counter watches the SQLite engine")
    org = await make_org()
    headers = await api_token(client, org.owner_email)
    with db.count_statements() as first:
        assert (await client.get("/api/v1/offices", headers=headers)).status_code == 200
    with db.count_statements() as again:
        assert (await client.get("/api/v1/offices", headers=headers)).status_code == 200
    assert any("core_api_token" in q for q in first)
    assert len(again) == 1 and "core_api_token" not in again[0], again


async def test_a_token_revoked_by_id_is_refused_at_once(client, make_org):
    org = await make_org()
    headers = await api_token(client, org.owner_email)
    me = (await client.get("/api/v1/me", headers=headers)).json()
    actor = Actor(me["user_id"], me["email"], me["member_id"], org.organisation_id, Role.owner, me["display_name"])
    [token] = await services.list_api_tokens(actor)
    await services.revoke_api_token_by_id(actor, token["id"])  # what a module's « révoquer » page calls
    refused = await client.get("/api/v1/offices", headers=headers)
    assert refused.status_code == 401 and refused.json()["detail"] == REFUSED


async def test_a_removed_member_token_is_refused_at_once(client, make_org):
    org = await make_org()
    owner = await api_token(client, org.owner_email)
    member_id, agent = await invite(client, owner, "basic", "agent@retire.example")
    assert (await client.delete(f"/api/v1/members/{member_id}", headers=owner)).status_code == 204
    refused = await client.get("/api/v1/offices", headers=agent)
    assert refused.status_code == 401 and refused.json()["detail"] == REFUSED


async def test_a_role_change_applies_to_the_token_at_once(client, make_org):
    org = await make_org()
    owner = await api_token(client, org.owner_email)
    member_id, agent = await invite(client, owner, "admin", "admin@role.example")
    assert (await client.post("/api/v1/offices", headers=agent, json={"name": "Annexe"})).status_code == 201
    changed = await client.patch(f"/api/v1/members/{member_id}", headers=owner,
                                 json={"role": "basic", "display_name": "Agent rétrogradé"})
    assert changed.status_code == 200, changed.text
    assert (await client.post("/api/v1/offices", headers=agent, json={"name": "Autre"})).status_code == 403
    me = (await client.get("/api/v1/me", headers=agent)).json()
    assert (me["role"], me["display_name"]) == ("basic", "Agent rétrogradé")


async def test_a_password_reset_refuses_the_tokens_at_once(client, make_org, settings):
    org = await make_org()
    headers = await api_token(client, org.owner_email)
    assert (await client.get("/api/v1/offices", headers=headers)).status_code == 200
    token = await csrf_token(client, "/password/forgot")
    await client.post("/password/forgot", data={"email": org.owner_email, "_csrf_token": token})
    await deliver_outbox(settings)
    link = re.search(r"http://testserver.local(/password/reset/\S+)", mail_text(sent_mails(settings)[-1])).group(1)
    form_token = await csrf_token(client, link)
    done = await client.post(link, data={"password": "nouveau-mdp-1", "confirmation": "nouveau-mdp-1",
                                         "_csrf_token": form_token}, follow_redirects=False)
    assert done.status_code in (302, 303)
    refused = await client.get("/api/v1/offices", headers=headers)
    assert refused.status_code == 401 and refused.json()["detail"] == REFUSED


async def test_a_suspension_refuses_a_cached_token_at_once(client, make_org):
    org = await make_org()
    headers = await api_token(client, org.owner_email)
    assert (await client.get("/api/v1/offices", headers=headers)).status_code == 200
    new = await accounts.create_operator("ops@cache.test", "operateur-secret-1")
    operator = await Operator.objects().get(Operator.email == new.email)
    await suspension.suspend(operator, org.organisation_id, "Impayés")
    refused = await client.get("/api/v1/offices", headers=headers)
    assert refused.status_code == 403 and "suspendue" in refused.json()["detail"]
    await suspension.unsuspend(operator, org.organisation_id)
    assert (await client.get("/api/v1/offices", headers=headers)).status_code == 200


async def test_a_revocation_by_another_process_is_seen_within_the_ttl(client, make_org, monkeypatch):
    """Another app process revokes the token (the row changes under this one): refused once the entry is
    older than the TTL."""
    monkeypatch.setattr(token_cache, "TTL_SECONDS", 0.2)
    org = await make_org()
    headers = await api_token(client, org.owner_email)
    assert (await client.get("/api/v1/offices", headers=headers)).status_code == 200
    await ApiToken.update({ApiToken.revoked_at: services.now()}).where(ApiToken.user == org.owner_user_id)
    await asyncio.sleep(0.3)
    refused = await client.get("/api/v1/offices", headers=headers)
    assert refused.status_code == 401 and refused.json()["detail"] == REFUSED


def test_a_read_that_began_before_a_change_is_not_kept():
    actor = Actor(1, "a@b.example", 1, 1, Role.owner, "A")
    read_at = token_cache.generation()
    token_cache.forget_all()  # a revocation lands while the read awaits the database
    token_cache.keep("digest", actor, read_at)
    assert token_cache.recall("digest") is None
    token_cache.keep("digest", actor, token_cache.generation())
    assert token_cache.recall("digest") is actor
    token_cache.forget_all()
