"""The driver space after the claim (seed 003): « Demander ma carte CQC » from a valid certificate (delivery
address + confirmation, errors next to the fields, a French confirmation email, the status shown, one open
request per training, an expired certificate or another person's line refused); formateurs and moniteurs get no
documents but are told (email, « Mes formations ») that they may request the card; failed claims are limited to
5 an hour per account."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from core.config import SmtpSettings
from core.documents.tables import Document
from core.testing.fixtures import deliver_outbox, sent_mails
from plugins.formation_cqc.services import drafts, registrations
from plugins.formation_cqc.services.rules import Profile
from plugins.formation_cqc.tables import AgrementRow, CardRequest, ClaimAttempt, Registration, RegistrationLine
from tests.core.accounts.helpers import post_form, sign_up, text
from tests.plugins.formation_cqc.test_documents_job import import_session

SPACE = "/mon-espace/m/formation_cqc"
EMAIL = "zoe@example.org"
ZOE = {"licence": "123456789012", "birth_date": "01/01/1990", "last_name": "N'Diaye"}
ADDRESS = {"address": "12 rue des Lilas", "postcode": "69003", "city": "Lyon", "confirm": "oui"}


@pytest.fixture
def socle_plugin() -> str:
    return "formation_cqc"


@pytest.fixture
def smtp_settings():
    return SmtpSettings()


async def _claimed_driver(app, client, settings, org):
    await import_session(client, org)
    await deliver_outbox(settings, app.state.jobs)
    client.cookies.clear()
    await sign_up(client, settings, EMAIL)
    response = await post_form(client, SPACE + "/formations/rattacher", ZOE, form_path=SPACE + "/formations")
    assert response.status_code == 303, response.text


async def _request(client, **values):
    return await post_form(client, SPACE + "/carte-cqc", values, form_path=SPACE + "/carte-cqc")


async def test_card_request_from_a_valid_certificate(app, client, settings, office_with_plugin):
    await _claimed_driver(app, client, settings, office_with_plugin)
    assert "Ma carte CQC" in (await client.get("/mon-espace/")).text
    (zoe,) = await RegistrationLine.select().where(RegistrationLine.licence == "123456789012")
    (leo,) = await RegistrationLine.select().where(RegistrationLine.licence == "223456789012")
    docs = await client.get(SPACE + "/documents")
    link = f'{SPACE}/carte-cqc?ligne={zoe["id"]}'
    assert f'href="{link}">Demander ma carte CQC avec ce certificat' in docs.text
    page = await client.get(link)
    assert "Aucune demande" in page.text
    assert re.search(rf'id="line-{zoe["id"]}"[^>]*checked', page.text)  # the certificate's training is chosen
    assert "certificat valable jusqu" in text(page)

    bad = await _request(client, line=str(zoe["id"]), address="", postcode="693", city="")
    assert bad.status_code == 422 and await CardRequest.count() == 0
    for name in ("address", "postcode", "city", "confirm"):
        assert f'aria-invalid="true" aria-describedby="{name}-error"' in bad.text, name
    assert "5 chiffres" in text(bad) and "certifier l'exactitude" in text(bad)
    assert (await _request(client, line=str(leo["id"]), **ADDRESS)).status_code == 404  # not my line

    ok = await _request(client, line=str(zoe["id"]), **ADDRESS)
    assert ok.status_code == 303
    page = await client.get(ok.headers["location"])
    assert "Votre demande de carte CQC est enregistrée" in text(page)
    assert "Demande déposée" in text(page) and "12 rue des Lilas, 69003 Lyon" in text(page)
    again = await _request(client, line=str(zoe["id"]), **ADDRESS)
    assert again.status_code == 422 and "déjà en cours" in text(again) and await CardRequest.count() == 1
    await deliver_outbox(settings, app.state.jobs)
    (mail,) = [m for m in sent_mails(settings) if "demande de carte CQC" in str(m["Subject"])]
    body = mail.get_body(("plain",)).get_content()
    assert EMAIL in str(mail["To"]) and "CAP conducteur" in body and "69003 Lyon" in body

    export = await client.get("/mon-espace/donnees/export.json")
    assert export.status_code == 200 and "12 rue des Lilas" in export.text and "Demande déposée" in export.text


async def test_an_expired_certificate_cannot_be_used(app, client, settings, office_with_plugin):
    await _claimed_driver(app, client, settings, office_with_plugin)
    await Registration.update({Registration.created_at: datetime.now(UTC) - timedelta(days=200)}).where(
        Registration.id > 0)
    (zoe,) = await RegistrationLine.select().where(RegistrationLine.licence == "123456789012")
    page = await client.get(SPACE + "/carte-cqc")
    assert "a expiré le" in text(page)
    refused = await _request(client, line=str(zoe["id"]), **ADDRESS)
    assert refused.status_code == 422 and "a expiré le" in text(refused) and await CardRequest.count() == 0


async def test_trainers_get_no_documents_but_may_request_the_card(app, client, settings, office_with_plugin):
    org = office_with_plugin
    await _claimed_driver(app, client, settings, org)  # Zoé has an account and a claimed conducteur line
    documents_before = await Document.count()
    end = date.today() - timedelta(days=2)
    draft = drafts.Draft(training="education_nationale", label="Moniteurs CAP", end_date=end.strftime("%d/%m/%Y"))
    draft.set_profile(Profile.moniteur, True)
    draft.put_line(None, {"order_number": "C9", "first_name": "Zoé", "last_name": "N'Diaye",
                          "birth_date": "01/01/1990", "licence": "123456789012"})
    agrements = await _agrements(org)
    report = await registrations.verify(draft, org.office_id, agrements, date.today())
    assert report.ok and report.warnings == []  # Zoé claimed her registrations: no gold « pas de compte »
    stranger = drafts.Draft(training="education_nationale", label="x", end_date=draft.end_date,
                            lines=[{**draft.lines[0], "licence": "999999999999"}])
    assert [w.field for w in (await registrations.verify(stranger, org.office_id, agrements, date.today())).warnings
            ] == ["licence"]
    await registrations.import_draft(draft, org.organisation_id, org.office_id, 1, agrements, date.today())
    await deliver_outbox(settings, app.state.jobs)
    assert await Document.count() == documents_before  # no summary, no certificate
    (mail,) = [m for m in sent_mails(settings) if "Vous pouvez demander votre carte CQC" in str(m["Subject"])]
    body = mail.get_body(("plain",)).get_content()
    assert "comme moniteur" in body and "prend en charge la redevance" in body
    page = await client.get(SPACE + "/formations")
    assert "Moniteur" in text(page) and "Vos droits à une demande de carte CQC sont ouverts" in text(page)
    line = await RegistrationLine.select().where(RegistrationLine.order_number == "C9").first()
    assert (await _request(client, line=str(line["id"]), **ADDRESS)).status_code == 303


async def _agrements(org):
    from plugins.formation_cqc.services import agrements

    return await agrements.of_office(org.office_id)


async def test_failed_claims_are_limited_per_account_and_hour(app, client, settings, office_with_plugin):
    await import_session(client, office_with_plugin)
    client.cookies.clear()
    await sign_up(client, settings, EMAIL)
    form = SPACE + "/formations"
    for _ in range(5):
        wrong = await post_form(client, form + "/rattacher", {**ZOE, "birth_date": "02/01/1990"}, form_path=form)
        assert wrong.status_code == 422 and "Aucune formation ne correspond" in text(wrong)
    blocked = await post_form(client, form + "/rattacher", ZOE, form_path=form)  # even the right values
    assert blocked.status_code == 429 and "Trop de tentatives infructueuses" in text(blocked)
    assert await RegistrationLine.count().where(RegistrationLine.account.is_not_null()) == 0
    await ClaimAttempt.update({ClaimAttempt.created_at: datetime.now(UTC) - timedelta(minutes=61)}).where(
        ClaimAttempt.id > 0)
    assert (await post_form(client, form + "/rattacher", ZOE, form_path=form)).status_code == 303
    assert await AgrementRow.count() == 1
