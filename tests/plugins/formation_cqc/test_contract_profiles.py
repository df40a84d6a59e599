"""Prerequisites and profiles (seed 003): the cart order that activated the module is shown as the service
contract (number and date) on « Mes sessions », the statement and its PDF invoice; « Nouvel enregistrement »
→ profile → mode, formateurs and moniteurs manual only with the centre's choice about their CQC fee, which
bills 25,34 € HT a person or nothing; « Souscrire à l'API » hands out a core token that registers a session."""

import io
import re
from datetime import date, timedelta

import pypdf
import pytest

from core.testing.fixtures import api_token, csrf_token, deliver_outbox, login
from plugins.formation_cqc.tables import AgrementRow, Registration
from tests.plugins.formation_cqc.test_manual import LINE, _import_disabled, _post

END = (date.today() - timedelta(days=3)).strftime("%d/%m/%Y")


@pytest.fixture
def socle_plugin() -> str:
    return "formation_cqc"


def _pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


async def _agrement(org, training="fco"):
    await AgrementRow.insert(AgrementRow(organisation=org.organisation_id, office=org.office_id, training=training,
                                         sector="marchandises", number="AG-1", valid_from=date(2020, 1, 1),
                                         valid_to=date(2099, 1, 1))).run()


async def test_the_activating_order_is_the_service_contract(client, make_org, office_with_plugin):
    direct = office_with_plugin
    await login(client, direct.owner_email)
    page = await client.get(f"/offices/{direct.office_id}/m/formation_cqc/sessions")
    assert "aucune commande rattachée" in page.text  # activated without an order

    org = await make_org("Centre Contrat")
    client.cookies.clear()
    headers = await api_token(client, org.owner_email)
    added = await client.post("/api/v1/cart/lines", json={"office_id": org.office_id, "module": "formation_cqc",
                                                           "action": "activate"}, headers=headers)
    assert added.status_code in (200, 201), added.text
    order = (await client.post("/api/v1/cart/checkout", headers=headers)).json()
    await login(client, org.owner_email)
    base = f"/offices/{org.office_id}/m/formation_cqc"
    expected = f"commande n° {order['number']} du {date.today():%d/%m/%Y}"
    for path in ("/sessions", "/sessions/enregistrement", "/sessions/nouveau", "/sessions/fichier", "/agrements",
                 "/souscription-api", "/releve"):
        assert expected in (await client.get(base + path)).text, path
    pdf = await client.get(base + f"/releve.pdf?mois={date.today():%Y-%m}")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = _pdf_text(pdf.content)
    assert f"CQC-{org.office_id}-{date.today():%Y%m}" in text and expected in text


async def test_invoice_pdf_totals_to_the_cent(app, settings, client, office_with_plugin, make_org):
    org = office_with_plugin
    await _agrement(org, "fco_module")
    headers = await api_token(client, org.owner_email)
    lines = [{**LINE, "licence": f"12345678901{i}", "first_name": "Anne"} for i in range(3)]
    response = await client.post(f"/api/v1/offices/{org.office_id}/m/formation_cqc/sessions", json={
        "training": "fco_module", "label": "Module FCO", "end_date": END, "lines": lines},
        headers={**headers, "Idempotency-Key": "inv"})
    assert response.status_code == 201
    await login(client, org.owner_email)
    sessions = f"/offices/{org.office_id}/m/formation_cqc/sessions"
    assert "Documents en préparation (0/3)" in (await client.get(sessions)).text  # the worker has not run
    await deliver_outbox(settings, app.state.jobs)
    assert "Documents délivrés" in (await client.get(sessions)).text
    text = _pdf_text((await client.get(f"/offices/{org.office_id}/m/formation_cqc/releve.pdf")).content)
    assert "15,21 €" in text and "3,04 €" in text and "18,25 €" in text  # 3 × 5,07 HT, TVA 20 %, TTC
    assert "activation sans commande" in text
    other = await make_org("Autre centre")
    client.cookies.clear()
    await login(client, other.owner_email)
    assert (await client.get(f"/offices/{org.office_id}/m/formation_cqc/releve.pdf")).status_code == 404


async def test_profile_then_mode_and_trainer_fee_choice(client, office_with_plugin):
    org = office_with_plugin
    await _agrement(org)
    base = f"/offices/{org.office_id}/m/formation_cqc"
    await login(client, org.owner_email)
    page = await client.get(base + "/sessions/enregistrement")
    assert "Sélectionner le type de profil enregistré" in page.text and 'id="modes"' not in page.text
    driver = await client.get(base + "/sessions/enregistrement?profil=conducteur")
    modes = driver.text.split('id="modes"', 1)[1].split("</ul>", 1)[0]
    assert "Importer un fichier" in modes and "Manuellement" in modes and "Souscrire à l'API" in modes
    trainer = await client.get(base + "/sessions/enregistrement?profil=formateur")
    assert 'id="modes"' not in trainer.text and "seul l'enregistrement manuel" in trainer.text
    assert (await client.get(base + "/sessions/enregistrement?profil=pilote")).status_code == 422

    token = await csrf_token(client, base + "/sessions/enregistrement?profil=moniteur")
    missing = await client.post(base + "/sessions/enregistrement", data={"profile": "moniteur", "_csrf_token": token})
    assert missing.status_code == 422
    assert 'aria-describedby="centre_pays-error"' in missing.text and "redevance" in missing.text

    await _post(client, base, "/sessions/enregistrement", {"profile": "moniteur", "centre_pays": "oui"})
    page = (await client.get(base + "/sessions/nouveau")).text
    assert "Moniteur, manuellement" in page and "Le centre prend en charge la redevance" in page
    await _post(client, base, "/sessions/nouveau/session", {"training": "fco", "label": "Moniteurs", "end_date": END})
    await _post(client, base, "/sessions/nouveau/lignes", LINE)
    await _post(client, base, "/sessions/nouveau/lignes", {**LINE, "licence": "123456789012", "first_name": "Anne"})
    await _post(client, base, "/sessions/nouveau/verifier")
    await _post(client, base, "/sessions/nouveau/importer")
    (paid,) = await Registration.select()
    assert paid["profile"] == "moniteur" and paid["centre_pays_cqc"] and paid["amount_cents"] == 2 * 2534

    await _post(client, base, "/sessions/enregistrement", {"profile": "formateur", "centre_pays": "non"})
    await _post(client, base, "/sessions/nouveau/session", {"training": "fco", "label": "Formateurs",
                                                            "end_date": END})
    await _post(client, base, "/sessions/nouveau/lignes", {**LINE, "licence": "999999999999"})
    await _post(client, base, "/sessions/nouveau/verifier")
    await _post(client, base, "/sessions/enregistrement", {"profile": "formateur", "centre_pays": "oui"})
    assert _import_disabled((await client.get(base + "/sessions/nouveau")).text)  # the choice changed: verify again
    await _post(client, base, "/sessions/enregistrement", {"profile": "formateur", "centre_pays": "non"})
    await _post(client, base, "/sessions/nouveau/verifier")
    await _post(client, base, "/sessions/nouveau/importer")
    free = await Registration.select().where(Registration.label == "Formateurs").first()
    assert free["profile"] == "formateur" and not free["centre_pays_cqc"] and free["amount_cents"] == 0
    listing = (await client.get(base + "/sessions")).text
    assert "redevance CQC prise en charge" in listing and "redevance CQC non prise en charge" in listing


async def test_subscribe_to_the_api_gives_a_token_that_registers(client, office_with_plugin):
    org = office_with_plugin
    await _agrement(org)
    base = f"/offices/{org.office_id}/m/formation_cqc"
    await login(client, org.owner_email)
    page = await client.get(base + "/souscription-api")
    assert f"POST /api/v1/offices/{org.office_id}/m/formation_cqc/sessions" in page.text
    assert "Idempotency-Key" in page.text and "Aucun jeton" in page.text
    token = await csrf_token(client, base + "/souscription-api")
    created = await client.post(base + "/souscription-api", data={"_csrf_token": token},
                                headers={"Referer": f"http://testserver.local{base}/souscription-api"})
    assert created.status_code == 201
    secret = re.search(r'id="token-value" readonly value="([^"]+)"', created.text).group(1)
    assert "il ne sera plus jamais affiché" in created.text
    again = (await client.get(base + "/souscription-api")).text
    assert secret not in again and "formation_cqc: " in again
    assert "formation_cqc.api_token.created" in (await client.get("/config/audit")).text
    client.cookies.clear()
    response = await client.post(f"/api/v1/offices/{org.office_id}/m/formation_cqc/sessions", json={
        "training": "fco", "label": "Par l'API", "end_date": END, "lines": [LINE]},
        headers={"Authorization": f"Bearer {secret}", "Idempotency-Key": "sub-1"})
    assert response.status_code == 201 and response.json()["amount_ht"] == "25.34"

    await login(client, org.owner_email)
    token_id = re.search(r'/souscription-api/(\d+)/revoquer', (await client.get(base + "/souscription-api")).text)
    token = await csrf_token(client, base + "/souscription-api")
    revoked = await client.post(base + f"/souscription-api/{token_id.group(1)}/revoquer",
                                data={"_csrf_token": token}, follow_redirects=False,
                                headers={"Referer": f"http://testserver.local{base}/souscription-api"})
    assert revoked.status_code in (302, 303)
    assert "(révoqué)" in (await client.get(base + "/souscription-api")).text
    assert "formation_cqc.api_token.revoked" in (await client.get("/config/audit")).text
    client.cookies.clear()
    refused = await client.get(f"/api/v1/offices/{org.office_id}/m/formation_cqc/sessions",
                               headers={"Authorization": f"Bearer {secret}"})
    assert refused.status_code == 401


async def test_a_closed_month_invoice_is_stored_once_and_never_changes(client, office_with_plugin):
    from datetime import UTC, datetime

    from core.documents.tables import Document
    from plugins.formation_cqc.services.rules import add_months

    org = office_with_plugin
    await _agrement(org)
    headers = await api_token(client, org.owner_email)
    url = f"/api/v1/offices/{org.office_id}/m/formation_cqc/sessions"
    body = {"training": "fco", "label": "FCO", "end_date": END, "lines": [LINE]}
    assert (await client.post(url, json=body, headers={**headers, "Idempotency-Key": "m1"})).status_code == 201
    last_month = add_months(date.today().replace(day=1), -1)
    await Registration.update({Registration.created_at: datetime(last_month.year, last_month.month, 15,
                                                                 tzinfo=UTC)}).where(Registration.id > 0)
    await login(client, org.owner_email)
    pdf_url = f"/offices/{org.office_id}/m/formation_cqc/releve.pdf?mois={last_month:%Y-%m}"
    first = await client.get(pdf_url)
    assert "30,41 €" in _pdf_text(first.content) and "provisoire" not in _pdf_text(first.content)
    (stored,) = await Document.select().where(Document.kind == "cqc_facture")
    assert stored["keep_until"] == add_months(last_month, 121)
    await Registration.update({Registration.amount_cents: 1}).where(Registration.id > 0)  # data changed later
    again = await client.get(pdf_url)
    assert again.content == first.content and await Document.count().where(Document.kind == "cqc_facture") == 1
    current = await client.get(f"/offices/{org.office_id}/m/formation_cqc/releve.pdf")
    assert "provisoire" in _pdf_text(current.content)
