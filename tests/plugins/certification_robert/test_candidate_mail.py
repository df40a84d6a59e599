"""What the candidate receives and keeps: a recorded result emails « Votre résultat est disponible » with the
link to « Mon espace » and never the score (seed 002: Coordonnées first), a different result later « … a été
corrigé » and the same one again nothing, through a real SMTP server on loopback; staff correcting the
candidate's email moves the « Mon espace » account the module created with it (told at the new address), and
refuse — naming « courriel », nothing written — an address another account has or an account the candidate
took over."""

import html
import time
from datetime import datetime

import pytest

from core.accounts.tables import AccountProfile
from core.tenancy.tables import User
from core.testing.fixtures import csrf_token, deliver_outbox, smtp_to
from plugins.certification_robert.tables import Candidate
from tests.plugins.certification_robert.conftest import IDENTITE
from tests.plugins.certification_robert.test_results import assigned, entry, payload, post_signed
from tests.plugins.certification_robert.test_stock import ready

SPACE = "http://testserver.local/mon-espace/m/certification_robert/certification"


@pytest.fixture
def smtp_settings(smtp_server):
    return smtp_to(smtp_server)


def mails(server, subject: str) -> list:
    return [m for m in server.messages if subject in m["Subject"]]


async def can_login(client, email: str, password: str = "secret1") -> bool:
    client.cookies.clear()
    response = await client.post("/login", data={"email": email, "password": password,
                                                 "_csrf_token": await csrf_token(client)}, follow_redirects=False)
    client.cookies.clear()
    return response.status_code in (302, 303)


async def test_a_recorded_result_emails_the_candidate_without_the_score(app, settings, centre, smtp_server):
    c = await centre()
    await assigned(c)
    await deliver_outbox(settings, app.state.jobs)
    smtp_server.messages.clear()
    r = await post_signed(c, payload(entry(0, score=701, level="B2")))
    assert r.status_code == 200, r.text
    await deliver_outbox(settings, app.state.jobs)
    [message] = mails(smtp_server, "Votre résultat à la Certification Le Robert est disponible")
    assert message["To"] == "c0@clr.com"
    body = message.get_content()
    assert "Votre résultat est disponible" in body and SPACE in body and "coordonnées" in body
    assert "701" not in body and "B2" not in body  # the score waits for the Coordonnées, in Mon espace
    assert "Centre de langues Molière" in message["From"]
    await deliver_outbox(settings, app.state.jobs)
    assert len(mails(smtp_server, "est disponible")) == 1  # sent once


async def test_a_corrected_result_says_so_and_the_same_result_again_sends_nothing(app, settings, centre,
                                                                                   smtp_server):
    c = await centre()
    await assigned(c)
    assert (await post_signed(c, payload(entry(0, score=701, level="B2")))).status_code == 200
    await deliver_outbox(settings, app.state.jobs)
    smtp_server.messages.clear()
    again = int(time.time()) - 5  # another request (a replayed one is refused)
    assert (await post_signed(c, payload(entry(0, score=701, level="B2")), stamp=again)).status_code == 200
    await deliver_outbox(settings, app.state.jobs)
    assert smtp_server.messages == []  # the certifier sent the same result again: nothing new to tell
    assert (await post_signed(c, payload(entry(0, score=655, level="B2")), stamp=again - 5)).status_code == 200
    await deliver_outbox(settings, app.state.jobs)
    assert mails(smtp_server, "est disponible") == []
    [message] = mails(smtp_server, "Votre résultat à la Certification Le Robert a été corrigé")
    body = message.get_content()
    assert message["To"] == "c0@clr.com" and "remplace le précédent" in body and SPACE in body
    assert "655" not in body and "701" not in body


async def test_a_csv_import_emails_each_candidate_once(app, settings, centre, smtp_server):
    from plugins.certification_robert.services import results_csv
    from plugins.certification_robert.services.common import Ctx

    c = await centre()
    await assigned(c, 2)
    smtp_server.messages.clear()
    csv = "courriel;score;niveau;date\nc0@clr.com;600;B1;{d}\nc1@clr.com;800;C1;{d}\nc1@clr.com;810;C1;{d}\n"
    day = entry(0)["passed_on"]
    assert await results_csv.import_file(Ctx(c.org.organisation_id, c.org.office_id), csv.format(d=day).encode()) == 2
    await deliver_outbox(settings, app.state.jobs)
    sent = mails(smtp_server, "est disponible")
    assert sorted(m["To"] for m in sent) == ["c0@clr.com", "c1@clr.com"]
    assert all("810" not in m.get_content() for m in sent)


async def test_changing_the_email_moves_the_account_and_tells_the_new_address(app, client, settings, centre,
                                                                                smtp_server):
    c = await centre()
    [cid] = await ready(c, 1)
    old = await User.objects().where(User.email == "c0@clr.com").first()
    assert old is not None
    r = await c.call("PUT", f"/candidates/{cid}/steps/identite", json={**IDENTITE, "courriel": "Zoe.Neuf@clr.com"})
    assert r.status_code == 200, r.text
    assert (await User.objects().get(User.id == old.id)).email == "zoe.neuf@clr.com"
    assert (await Candidate.objects().get(Candidate.id == cid)).account == old.id
    assert await can_login(client, "zoe.neuf@clr.com") and not await can_login(client, "c0@clr.com")
    await deliver_outbox(settings, app.state.jobs)
    [told] = [m for m in smtp_server.messages if m["To"] == "zoe.neuf@clr.com"]
    assert "désormais zoe.neuf@clr.com" in told.get_content() and "c0@clr.com" in told.get_content()


async def test_an_address_of_another_account_is_refused_and_nothing_changes(client, centre, make_org):
    c = await centre()
    [cid] = await ready(c, 1)
    other = await make_org("Centre Voisin")  # its owner's email already has an account
    r = await c.call("PUT", f"/candidates/{cid}/steps/identite", json={**IDENTITE, "courriel": other.owner_email})
    assert r.status_code == 422
    [error] = r.json()["errors"]
    assert error["field"] == "courriel" and "déjà celle d'un autre compte" in error["message"]
    assert (await Candidate.objects().get(Candidate.id == cid)).email == "c0@clr.com"
    assert await User.exists().where(User.email == "c0@clr.com")


async def test_an_account_the_candidate_verified_is_theirs_to_change(client, centre):
    c = await centre()
    [cid] = await ready(c, 1)
    row = await Candidate.objects().get(Candidate.id == cid)
    await AccountProfile.update({AccountProfile.verified_at: datetime.now().astimezone()}).where(
        AccountProfile.user == row.account)
    r = await c.call("PUT", f"/candidates/{cid}/steps/identite", json={**IDENTITE, "courriel": "neuf@clr.com"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "courriel"
    assert "gère elle-même son compte" in r.json()["errors"][0]["message"]
    assert (await Candidate.objects().get(Candidate.id == cid)).email == "c0@clr.com"
    assert (await User.objects().get(User.id == row.account)).email == "c0@clr.com"


async def test_the_page_shows_the_refusal_next_to_courriel(client, centre, make_org):
    from core.testing.fixtures import login, submit

    c = await centre()
    [cid] = await ready(c, 1)
    other = await make_org("Centre Voisin")
    await login(client, c.org.owner_email)
    page = f"/offices/{c.org.office_id}/m/certification_robert/candidats/{cid}/identite"
    refused = await submit(client, page, page, {**IDENTITE, "courriel": other.owner_email})
    assert refused.status_code == 422
    assert 'aria-invalid="true" aria-describedby="courriel-error"' in refused.text
    assert "déjà celle d'un autre compte" in html.unescape(refused.text.split('id="courriel-error"', 1)[1])
    assert (await Candidate.objects().get(Candidate.id == cid)).email == "c0@clr.com"
