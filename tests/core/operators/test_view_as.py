"""« Voir comme »: refused without the owner's consent; with it, the operator reads the owner's pages with the
banner, every write is refused, start and end are audited; withdrawing the consent ends the visit; an
organisation login in the same browser ends the operator's session."""

import pyotp

from core.auth.tables import AuditEntry
from core.operators import accounts, direct, view_as
from core.tenancy.tables import Organisation
from core.testing.fixtures import csrf_token, login
from tests.core.operators.test_operators import OP_PASSWORD, _op_login

BANNER = "Vous consultez en tant qu'opérateur"


async def _grant(client, email, hours="1"):
    await login(client, email)
    token = await csrf_token(client, "/config/operateur")
    bad = await client.post("/config/operateur", data={"hours": "999", "_csrf_token": token})
    assert bad.status_code == 422 and 'aria-describedby="hours-error"' in bad.text
    done = await client.post("/config/operateur", follow_redirects=False, data={"hours": hours, "_csrf_token": token})
    assert done.status_code in (302, 303)
    consent_page = (await client.get("/config/operateur")).text
    assert "Accord en cours" in consent_page and "pas « Mon espace »" in consent_page
    # Logging in as the operator in this browser ends the organisation session.
    client.cookies.clear()


async def test_view_as_with_and_without_consent(client, make_org):
    org = await make_org("Auto-école des Tilleuls", "gerant@tilleuls.test")
    other = await make_org("Mairie de Brive", "maire@brive.test")
    await _grant(client, org.owner_email)
    new = await accounts.create_operator("ops@socle.test", OP_PASSWORD)
    assert (await _op_login(client, new.email, pyotp.TOTP(new.secret).now())).status_code in (302, 303)
    token = await csrf_token(client, f"/operateur/organisations/{other.organisation_id}")

    refused = await client.post(f"/operateur/organisations/{other.organisation_id}/voir-comme",
                                data={"_csrf_token": token})
    assert refused.status_code == 403 and "consultation refusée" in refused.text
    assert await AuditEntry.exists().where((AuditEntry.action == "operator.view_refused")
                                           & (AuditEntry.organisation == other.organisation_id))
    assert (await client.get("/dashboard", follow_redirects=False)).status_code != 200

    started = await client.post(f"/operateur/organisations/{org.organisation_id}/voir-comme",
                                follow_redirects=False, data={"_csrf_token": token})
    assert started.status_code in (302, 303) and started.headers["location"] == "/dashboard"
    for path in ("/dashboard", "/config", "/config/factures"):
        page = await client.get(path)
        assert page.status_code == 200 and BANNER in page.text, path
    assert "Auto-école des Tilleuls" in (await client.get("/config")).text
    pages = await AuditEntry.objects().where(AuditEntry.action == "operator.view_page")
    assert {p.target for p in pages} == {"/dashboard", "/config", "/config/factures"}
    assert all(p.organisation == org.organisation_id for p in pages)
    write = await client.post("/config/organisation", data={"name": "Piraté", "_csrf_token": token})
    assert write.status_code == 403 and "Lecture seule" in write.text
    assert (await Organisation.objects().where(Organisation.id == org.organisation_id).first()).name == (
        "Auto-école des Tilleuls")
    assert (await client.post("/config/operateur/retrait", data={"_csrf_token": token})).status_code == 403
    switched = await client.post("/switch/office", follow_redirects=False,  # the session only: allowed
                                 data={"office_id": org.office_id, "next": "/config", "_csrf_token": token})
    assert switched.status_code in (302, 303)
    assert (await client.get("/operateur/")).status_code == 200  # the operator's console stays open
    entry = await AuditEntry.objects().where(AuditEntry.action == "operator.view_started").first()
    assert entry.organisation == org.organisation_id and "ops@socle.test" in entry.summary

    ended = await client.post("/operateur/voir-comme/fin", follow_redirects=False, data={"_csrf_token": token})
    assert ended.status_code in (302, 303)
    assert await AuditEntry.exists().where((AuditEntry.action == "operator.view_ended")
                                           & (AuditEntry.organisation == org.organisation_id))
    assert (await client.get("/dashboard", follow_redirects=False)).status_code != 200

    # A withdrawn consent ends a running visit at the next page.
    await client.post(f"/operateur/organisations/{org.organisation_id}/voir-comme", data={"_csrf_token": token})
    assert BANNER in (await client.get("/dashboard")).text
    owner = await direct.owner_actor(org.organisation_id)
    await view_as.revoke(owner)
    assert (await client.get("/dashboard", follow_redirects=False)).status_code != 200
    assert await AuditEntry.exists().where(AuditEntry.action == "view_consent.revoked")


async def test_organisation_login_ends_the_operator_session(client, make_org):
    org = await make_org()
    new = await accounts.create_operator("ops@socle.test", OP_PASSWORD)
    assert (await _op_login(client, new.email, pyotp.TOTP(new.secret).now())).status_code in (302, 303)
    assert (await client.get("/operateur/")).status_code == 200
    await login(client, org.owner_email)
    assert (await client.get("/dashboard")).status_code == 200
    assert (await client.get("/operateur/")).status_code == 404
    # and the other way round: an operator login ends the organisation session
    assert (await _op_login(client, new.email, new.recovery_codes[0])).status_code in (302, 303)
    assert (await client.get("/dashboard", follow_redirects=False)).status_code != 200


async def test_view_as_never_opens_mon_espace(client, make_org):
    """« Mon espace » is the served people's personal space, not an organisation page: during a visit it answers
    403 with a French reason (audited), not the login page (signing in there would end the operator's session).
    Before this, the visit was sent to /login?next=/mon-espace… without a word."""
    from core.operators.view_as import PERSONAL_SPACE

    org = await make_org("Auto-école des Tilleuls", "gerant@tilleuls.test")
    await _grant(client, org.owner_email)
    new = await accounts.create_operator("ops@socle.test", OP_PASSWORD)
    assert (await _op_login(client, new.email, pyotp.TOTP(new.secret).now())).status_code in (302, 303)
    token = await csrf_token(client, f"/operateur/organisations/{org.organisation_id}")
    await client.post(f"/operateur/organisations/{org.organisation_id}/voir-comme", data={"_csrf_token": token})
    assert BANNER in (await client.get("/dashboard")).text  # the visit is running
    for path in ("/mon-espace/", "/mon-espace/compte", "/mon-espace/documents", "/mon-espace/m/alpha/mine"):
        page = await client.get(path, follow_redirects=False)
        assert page.status_code == 403, (path, page.status_code)
        assert "« Voir comme » ne couvre pas « Mon espace »" in page.text, path
    assert "Consultation refusée" in PERSONAL_SPACE
    refused = await AuditEntry.objects().where(AuditEntry.action == "operator.view_refused")
    assert {r.target.rstrip("/") for r in refused} == {"/mon-espace", "/mon-espace/compte", "/mon-espace/documents",
                                           "/mon-espace/m/alpha/mine"}
    assert all(r.organisation == org.organisation_id and "ops@socle.test" in r.summary for r in refused)
    assert not await AuditEntry.exists().where((AuditEntry.action == "operator.view_page")
                                               & AuditEntry.target.like("/mon-espace%"))
    # Once the visit ends, « Mon espace » asks for a login again, as for anyone.
    await client.post("/operateur/voir-comme/fin", data={"_csrf_token": token})
    after = await client.get("/mon-espace/", follow_redirects=False)
    assert after.status_code in (302, 303) and after.headers["location"].startswith("/login")
