"""« Mon espace » for a driver: a wrong birth date claims nothing and says so; the right licence + birth date +
surname link the registrations and their PDFs; a later import emails the PDFs to the claimed account."""

from datetime import date, timedelta

import pytest

from core.config import SmtpSettings
from core.testing.fixtures import deliver_outbox, sent_mails
from tests.core.accounts.helpers import post_form, sign_up, text
from tests.plugins.formation_cqc.test_documents_job import LINES, import_session

FORM = "/mon-espace/m/formation_cqc/formations"
EMAIL = "zoe@example.org"


@pytest.fixture
def socle_plugin() -> str:
    return "formation_cqc"


@pytest.fixture
def smtp_settings():
    return SmtpSettings()  # mail to files: the sign-up link and the PDFs are read back


async def _claim(client, **values):
    return await post_form(client, FORM + "/rattacher", values, form_path=FORM)


async def test_claim_then_formations_documents_and_email(app, client, settings, office_with_plugin):
    await import_session(client, office_with_plugin)
    await deliver_outbox(settings, app.state.jobs)
    client.cookies.clear()
    await sign_up(client, settings, EMAIL)
    home = await client.get("/mon-espace/")
    assert "Mes formations" in home.text and "Mes documents de formation" in home.text

    wrong = await _claim(client, licence="1234 5678 9012", birth_date="02/01/1990", last_name="n'diaye")
    assert wrong.status_code == 422 and "Aucune formation ne correspond" in text(wrong)
    assert 'id="formations"' not in wrong.text and "Aucune formation n'est encore rattachée" in text(wrong)
    bad = await _claim(client, licence="123", birth_date="1990", last_name="N'Diaye")
    assert bad.status_code == 422
    assert 'aria-invalid="true" aria-describedby="birth_date-error"' in bad.text and "JJ/MM/AAAA" in text(bad)
    assert 'aria-describedby="licence-error"' in bad.text

    ok = await _claim(client, licence="1234 5678 9012", birth_date="01/01/1990", last_name="N DIAYE")
    assert ok.status_code == 303
    page = await client.get(ok.headers["location"])
    assert "1 formation(s) rattachée(s)" in text(page) and "CAP conducteur" in text(page) and "Zoé" in text(page)
    docs = await client.get("/mon-espace/m/formation_cqc/documents")
    links = [part.split('"', 1)[0] for part in docs.text.split('href="/mon-espace/documents/')[1:]]
    assert len(links) == 2 and "Certificat de qualification" in text(docs)
    pdf = await client.get(f"/mon-espace/documents/{links[0]}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert (await _claim(client, licence="123456789012", birth_date="01/01/1990",
                         last_name="N'Diaye")).status_code == 422  # already claimed: nothing more

    client.cookies.clear()
    later = (date.today() - timedelta(days=1)).isoformat()
    await import_session(client, office_with_plugin, lines=LINES[:1], end=later, key="k2")
    await deliver_outbox(settings, app.state.jobs)
    (mail,) = [m for m in sent_mails(settings) if EMAIL in str(m["To"]) and "Vos documents" in str(m["Subject"])]
    names = sorted(part.get_filename() for part in mail.iter_attachments())
    assert names[0].startswith("certificat-") and names[1].startswith("recapitulatif-")
