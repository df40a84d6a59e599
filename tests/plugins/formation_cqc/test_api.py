"""API mode and the monthly statement: POST a registration with its lines as JSON; 422 names
`lines[i].field`; the Idempotency-Key header makes a retried call answer the same registration without
registering twice; the month's HT / TVA / TTC to the cent (page and CSV); another organisation's office is 404."""

from datetime import date, timedelta

import pytest

from core.testing.fixtures import api_token, login
from plugins.formation_cqc.tables import AgrementRow, Registration, RegistrationLine

END = (date.today() - timedelta(days=3)).isoformat()
LINE = {"order_number": "COM1", "first_name": "Pierre", "last_name": "Dupont", "birth_date": "01/01/1990",
        "licence": "7E9R8T7ZE9E8A9"}


@pytest.fixture
def socle_plugin() -> str:
    return "formation_cqc"


async def test_api_registration_is_idempotent(client, office_with_plugin, make_org, activate_plugin):
    org = office_with_plugin
    await AgrementRow.insert(AgrementRow(organisation=org.organisation_id, office=org.office_id, training="fco_module",
                                         sector="marchandises", number="AG-3", valid_from=date(2020, 1, 1),
                                         valid_to=date(2099, 1, 1))).run()
    headers = await api_token(client, org.owner_email)
    url = f"/api/v1/offices/{org.office_id}/m/formation_cqc/sessions"
    body = {"training": "fco_module", "label": "Module FCO", "end_date": END,
            "lines": [LINE, {**LINE, "licence": "1234 5678 901", "first_name": "Zoé"}]}
    assert (await client.post(url, json=body, headers=headers)).status_code == 422  # no Idempotency-Key
    bad = await client.post(url, json=body, headers={**headers, "Idempotency-Key": "k-1"})
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["lines[1].licence"]
    assert await Registration.count() == 0

    body["lines"][1]["licence"] = "1234 5678 9012"
    first = await client.post(url, json=body, headers={**headers, "Idempotency-Key": "k-2"})
    assert first.status_code == 201, first.text
    assert first.json()["lines"] == 2 and first.json()["amount_ht"] == "10.14"
    retry = await client.post(url, json=body, headers={**headers, "Idempotency-Key": "k-2"})
    assert retry.status_code == 200 and retry.json() == first.json()
    assert await Registration.count() == 1 and await RegistrationLine.count() == 2
    again = await client.post(url, json=body, headers={**headers, "Idempotency-Key": "k-3"})
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "lines[0].licence"  # already registered
    listed = (await client.get(url, headers=headers)).json()
    assert [r["mode"] for r in listed] == ["api"]

    await login(client, org.owner_email)
    page = (await client.get(f"/offices/{org.office_id}/m/formation_cqc/releve")).text
    assert '<td id="total-ht">10,14 €</td>' in page and '<td id="vat">2,03 €</td>' in page
    assert '<td id="total-ttc">12,17 €</td>' in page
    exported = await client.get(f"/offices/{org.office_id}/m/formation_cqc/releve.csv")
    assert exported.status_code == 200 and "Total TTC;;12,17" in exported.text

    other = await activate_plugin(await make_org("Autre centre"))
    response = await client.post(f"/api/v1/offices/{other.office_id}/m/formation_cqc/sessions", json=body,
                                 headers={**headers, "Idempotency-Key": "k-4"})
    assert response.status_code == 404
