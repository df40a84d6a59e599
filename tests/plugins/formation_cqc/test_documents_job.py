"""After an API import, one worker run renders each driver's training summary (kept 6 years) and certificate
(valid 4 months, from the 18th birthday for a minor) as core documents; another organisation cannot read them."""

from datetime import date, timedelta

import pytest

from core.documents.tables import Document
from core.testing.fixtures import api_token, deliver_outbox, login
from plugins.formation_cqc.services import rules
from plugins.formation_cqc.tables import AgrementRow, RegistrationLine

END = (date.today() - timedelta(days=3)).isoformat()
MINOR_BIRTH = date.today() - timedelta(days=17 * 365)
LINES = [{"order_number": "C1", "first_name": "Zoé", "last_name": "N'Diaye", "birth_date": "01/01/1990",
          "licence": "123456789012"},
         {"order_number": "C1", "first_name": "Léo", "last_name": "Petit",
          "birth_date": MINOR_BIRTH.strftime("%d/%m/%Y"), "licence": "223456789012"}]


@pytest.fixture
def socle_plugin() -> str:
    return "formation_cqc"


async def import_session(client, org, lines=LINES, end=END, key="k"):
    await AgrementRow.insert(AgrementRow(organisation=org.organisation_id, office=org.office_id,
                                         training="education_nationale", sector="marchandises", number="AG-9",
                                         valid_from=date(2020, 1, 1), valid_to=date(2099, 1, 1))).run()
    headers = await api_token(client, org.owner_email)
    response = await client.post(f"/api/v1/offices/{org.office_id}/m/formation_cqc/sessions",
                                 json={"training": "education_nationale", "label": "CAP conducteur", "end_date": end,
                                       "lines": lines}, headers={**headers, "Idempotency-Key": key})
    assert response.status_code == 201, response.text


async def test_one_worker_run_stores_both_documents(app, client, settings, office_with_plugin, make_org):
    org = office_with_plugin
    await import_session(client, org)
    assert await Document.count() == 0  # rendered by the worker, not in the request
    await deliver_outbox(settings, app.state.jobs)
    today = date.today()
    docs = {(d["person_ref"], d["kind"]): d for d in await Document.select()}
    assert len(docs) == 4
    adult, minor = await RegistrationLine.select().order_by(RegistrationLine.id)
    assert docs[(f"ligne:{adult['id']}", "cqc_recapitulatif")]["keep_until"] == rules.summary_keep_until(today)
    assert docs[(f"ligne:{adult['id']}", "cqc_certificat")]["keep_until"] == rules.add_months(
        today, 4) - timedelta(days=1)
    assert docs[(f"ligne:{minor['id']}", "cqc_certificat")]["keep_until"] == rules.add_months(
        rules.eighteenth_birthday(MINOR_BIRTH), 4) - timedelta(days=1)
    assert adult["summary_document"] == docs[(f"ligne:{adult['id']}", "cqc_recapitulatif")]["id"]

    doc_id = adult["certificate_document"]
    await login(client, org.owner_email)
    own = await client.get(f"/documents/{doc_id}")
    assert own.status_code == 200 and own.content.startswith(b"%PDF")
    other = await make_org()
    client.cookies.clear()
    await login(client, other.owner_email)
    assert (await client.get(f"/documents/{doc_id}")).status_code == 404
    assert await deliver_outbox(settings, app.state.jobs) == 0  # nothing left, nothing rendered twice
    assert await Document.count() == 4
