"""Who downloads a driver's PDFs (training summary, certificate) from the staff route `/documents/{id}`: only
members holding « Enregistrer des sessions » (formation_cqc's `documents_permission`, API 1.4) — an admin or
an agent of the office without the grant gets 404 like any document they may not see, the grant opens it,
revoking closes it again — the owner, and the driver themself through « Mon espace »; another organisation
gets 404."""

import pytest

from core.config import SmtpSettings
from core.testing.fixtures import api_token, deliver_outbox, login
from plugins.formation_cqc.tables import RegistrationLine
from tests.core.accounts.helpers import post_form, sign_up
from tests.plugins.formation_cqc.test_documents_job import import_session

SESSIONS = "formation_cqc.sessions"
CLAIM = "/mon-espace/m/formation_cqc/formations"


@pytest.fixture
def socle_plugin() -> str:
    return "formation_cqc"


@pytest.fixture
def smtp_settings():
    return SmtpSettings()  # mail to files: the sign-up link is read back


async def _status(client, email: str, document_id: int) -> int:
    client.cookies.clear()
    await login(client, email)
    response = await client.get(f"/documents/{document_id}")
    assert response.status_code != 200 or response.content.startswith(b"%PDF")
    return response.status_code


async def test_only_members_granted_sessions_read_the_drivers_pdfs(app, client, settings, office_with_plugin,
                                                                   add_member, make_org):
    org = office_with_plugin
    await import_session(client, org)
    await deliver_outbox(settings, app.state.jobs)
    line = (await RegistrationLine.select().order_by(RegistrationLine.id).first())
    documents = [line["summary_document"], line["certificate_document"]]
    admin_id, admin = await add_member(org, "admin")
    _, agent = await add_member(org, "basic")

    for document_id in documents:
        assert await _status(client, org.owner_email, document_id) == 200  # the owner always holds it
        assert await _status(client, admin, document_id) == 404  # an admin of the office, without the grant
        assert await _status(client, agent, document_id) == 404

    owner = await api_token(client, org.owner_email)
    granted = await client.post("/api/v1/grants", json={"member_id": admin_id, "permission": SESSIONS},
                                headers=owner)
    assert granted.status_code == 201, granted.text
    for document_id in documents:
        assert await _status(client, admin, document_id) == 200
        assert await _status(client, agent, document_id) == 404  # a grant is per member
    assert (await client.delete(f"/api/v1/grants/{granted.json()['id']}", headers=owner)).status_code == 204
    assert await _status(client, admin, documents[0]) == 404

    rival = await make_org("Centre Rival")
    assert await _status(client, rival.owner_email, documents[0]) == 404


async def test_the_driver_reads_their_own_pdfs_in_mon_espace_not_through_the_staff_route(
        app, client, settings, office_with_plugin):
    await import_session(client, office_with_plugin)
    await deliver_outbox(settings, app.state.jobs)
    client.cookies.clear()
    await sign_up(client, settings, "zoe@example.org")
    claimed = await post_form(client, CLAIM + "/rattacher",
                              {"licence": "123456789012", "birth_date": "01/01/1990", "last_name": "N'Diaye"},
                              form_path=CLAIM)
    assert claimed.status_code == 303
    line = (await RegistrationLine.select().order_by(RegistrationLine.id).first())
    own = await client.get(f"/mon-espace/documents/{line['certificate_document']}")
    assert own.status_code == 200 and own.content.startswith(b"%PDF")
    assert (await client.get(f"/documents/{line['certificate_document']}")).status_code == 404
