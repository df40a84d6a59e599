"""« Mon compte » of the partner: the four documents of the seed as real French PDFs with the partner's name,
and « Contact »: a request to the support address of the settings through the outbox (real loopback SMTP),
kept as history; empty fields are refused next to the field."""

import io

import pypdf
import pytest

from core.testing.fixtures import csrf_token, deliver_outbox, login
from plugins.certification_robert.services import documentation
from tests.plugins.certification_robert.test_planning import parts

SUPPORT = "support@lerobert.test"


@pytest.fixture
def smtp_settings(smtp_server):
    from core.testing.fixtures import smtp_to

    return smtp_to(smtp_server)


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


async def test_documentation_lists_four_real_pdfs(client, centre) -> None:
    c = await centre()
    await login(client, c.org.owner_email)
    base = f"/offices/{c.org.office_id}/m/certification_robert"
    page = await client.get(base + "/documentation")
    assert page.status_code == 200
    for title in ("Mode d'emploi à destination de l'administrateur", "Mode d'emploi à destination du surveillant",
                  "Feuille de brouillon Certification Le Robert", "Document de surveillance"):
        assert title.replace("'", "&#39;") in page.text
    expected = {"mode-emploi-administrateur": "1 710,00 € HT", "mode-emploi-surveillant": "Accueil des candidats",
                "feuille-brouillon": "Nom et prénom du candidat", "document-surveillance": "Présence des candidats"}
    for guide in documentation.GUIDES:
        r = await client.get(f"{base}/documentation/{guide.slug}")
        assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
        assert guide.filename in r.headers["content-disposition"]
        text = " ".join(pdf_text(r.content).split())
        assert guide.title in text and expected[guide.slug] in text and "Centre de langues Molière" in text
        assert "lorem" not in text.lower()
    assert (await client.get(f"{base}/documentation/inconnu")).status_code == 404
    listed = (await c.call("GET", "/documentation")).json()
    assert [g["slug"] for g in listed] == [g.slug for g in documentation.GUIDES]


async def test_contact_form_errors_then_email_to_support_and_history(client, centre, settings, smtp_server) -> None:
    c = await centre()
    assert (await c.call("PUT", "/settings", json={"support_email": SUPPORT})).status_code == 200
    await login(client, c.org.owner_email)
    path = f"/offices/{c.org.office_id}/m/certification_robert/contact"
    token = await csrf_token(client, path)
    bad = await client.post(path, data={"_csrf_token": token, "objet": " ", "message": ""})
    assert bad.status_code == 422
    assert 'aria-invalid="true" aria-describedby="objet-error"' in bad.text and "Indiquez l&#39;objet" in bad.text
    assert 'aria-describedby="message-error"' in bad.text and "Aucune demande envoyée" in bad.text
    ok = await client.post(path, data={"_csrf_token": token, "objet": "Codes d'activation",
                                       "message": "Un candidat ne reçoit pas son code."}, follow_redirects=False)
    assert ok.status_code in (302, 303)
    page = await client.get(path)
    assert "Votre demande a été envoyée" in page.text and 'id="history"' in page.text
    assert "Un candidat ne reçoit pas son code." in page.text and SUPPORT in page.text
    await deliver_outbox(settings)
    [mail] = [m for m in smtp_server.messages if SUPPORT in str(m["To"])]
    assert "Codes d'activation" in str(mail["Subject"]) and c.org.owner_email in str(mail["Reply-To"])
    body = parts(mail)["text/plain"]
    assert "Centre de langues Molière" in body and "Un candidat ne reçoit pas son code." in body

    r = await c.call("POST", "/contact", json={"objet": "x" * 201, "message": "Bonjour"})
    assert r.status_code == 422 and [e["field"] for e in r.json()["errors"]] == ["objet"]
    assert (await c.call("POST", "/contact", json={"objet": "Devis", "message": "Merci"})).status_code == 201
    assert len((await c.call("GET", "/contact")).json()) == 2
    other = await centre("École Voltaire")
    assert (await other.call("GET", "/contact")).json() == []
