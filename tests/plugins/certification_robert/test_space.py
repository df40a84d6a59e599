"""« Ma certification Le Robert » in « Mon espace »: a candidate signed in with the email the partner used sees
their file (status, La Poste convocation with its ICS, activation code), must fill their Coordonnées before the
score and the attestation are shown, and never sees another candidate's file (404)."""

from datetime import date, timedelta

import icalendar
import pytest

from core.config import SmtpSettings
from core.testing.fixtures import PASSWORD, deliver_outbox, login, sent_mails
from plugins.certification_robert.services import stock
from plugins.certification_robert.services.common import Ctx
from plugins.certification_robert.tables import Candidate
from tests.core.accounts.helpers import post_form, sign_up, text, visible_text
from tests.plugins.certification_robert.test_results import SECRET, entry, payload, post_signed
from tests.plugins.certification_robert.test_stock import INFOS, ready

PAGE = "/mon-espace/m/certification_robert/certification"
DAY = date.today() + timedelta(days=12)
ADDRESS = "Bureau de poste Lyon Bellecour, 10 place Antonin Poncet, 69002 Lyon"
COORDS = {"telephone": "06 12 34 56 78", "adresse": "3 rue Mercière", "code_postal": "69002", "commune": "Lyon",
          "pays": "France"}


@pytest.fixture
def smtp_settings():
    return SmtpSettings()  # mail to files: the sign-up link is read back


async def planned(c) -> tuple[int, int]:
    """c0@clr.com planned at La Poste, c1@clr.com in a supervised session (with a code)."""
    ids = await ready(c, 2)
    ctx = Ctx(c.org.organisation_id, c.org.office_id)
    await stock.add(ctx, "laposte", 1)
    await stock.add(ctx, "centre", 1)
    r = await c.call("POST", "/assignments", json={"kind": "laposte", "planned_on": DAY.isoformat(),
                                                   "starts_at": "14:30", "address": ADDRESS, "candidate_ids": ids[:1]})
    assert r.status_code == 201, r.text
    r = await c.call("POST", "/assignments", json={"kind": "centre", "planned_on": DAY.isoformat(),
                                                   "candidate_ids": ids[1:]})
    assert r.status_code == 201, r.text
    assert (await c.call("PUT", "/settings", json={"results_secret": SECRET})).status_code == 200
    return ids[0], ids[1]


async def test_candidate_sees_own_file_convocation_then_score_after_coordonnees(app, client, settings,
                                                                                 centre) -> None:
    c = await centre()
    mine, other = await planned(c)
    await deliver_outbox(settings, app.state.jobs)
    await login(client, "c0@clr.com", "secret1")  # the account the partner's step « Mot de passe » created
    home = await client.get("/mon-espace/")
    assert "Ma certification Le Robert" in home.text and PAGE in home.text
    page = await client.get(PAGE)
    assert page.status_code == 200
    body = text(page)
    assert "Centre de langues Molière" in body and "Prévue" in body and "14:30" in body and ADDRESS in body
    assert "pièce d'identité" in body and "Pas encore de résultat" in body
    assert f"dossier-{other}" not in page.text and "c1@clr.com" not in body
    assert "Code d'activation" not in body  # La Poste: no code
    ics = await client.get(f"{PAGE}/{mine}/convocation.ics")
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    [event] = icalendar.Calendar.from_ical(ics.content).walk("VEVENT")
    assert str(event["LOCATION"]) == ADDRESS

    assert (await post_signed(c, payload(entry(0, score=701, level="B2")))).status_code == 200
    await deliver_outbox(settings, app.state.jobs)
    hidden = visible_text(await client.get(PAGE))
    assert "Passée" in hidden and "Votre résultat est disponible" in hidden and "701" not in hidden

    bad = await post_form(client, f"{PAGE}/{mine}/coordonnees", {**COORDS, "code_postal": "6900", "commune": ""},
                          form_path=PAGE)
    assert bad.status_code == 422
    assert f'aria-invalid="true" aria-describedby="c{mine}-code_postal-error"' in bad.text
    assert "5 chiffres" in text(bad) and "« Commune de résidence » est obligatoire" in text(bad)
    assert "701" not in visible_text(bad)
    ok = await post_form(client, f"{PAGE}/{mine}/coordonnees", COORDS, form_path=PAGE)
    assert ok.status_code == 303
    shown = await client.get(PAGE)
    assert "701 / 990" in text(shown) and "niveau <strong>B2" in text(shown)
    [doc] = [part.split('"', 1)[0] for part in shown.text.split('href="/mon-espace/documents/')[1:]]
    pdf = await client.get(f"/mon-espace/documents/{doc}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "Attestation de résultat" in text(await client.get("/mon-espace/documents"))
    divers = await post_form(client, f"{PAGE}/{mine}/divers", {"niveau_etudes": "Licence", "csp": "Cadre",
                                                               "francais_maternelle": "non"}, form_path=PAGE)
    assert divers.status_code == 303
    assert (await post_form(client, f"{PAGE}/{mine}/divers", {"francais_maternelle": "peut-être"},
                            form_path=PAGE)).status_code == 422
    assert (await post_form(client, f"{PAGE}/{mine}/identite", {"nom": "X"}, form_path=PAGE)).status_code == 404
    staff = (await c.call("GET", f"/candidates/{mine}")).json()
    assert staff["donnees"]["coordonnees"]["commune"] == "Lyon" and "coordonnees" in staff["etapes"]
    assert staff["donnees"]["divers"] == {"niveau_etudes": "Licence", "csp": "Cadre", "francais_maternelle": "non"}
    assert staff["etapes"][-2:] == ["coordonnees", "divers"]
    exported = (await client.get("/mon-espace/donnees/export.json")).json()["modules"]["certification_robert"]
    assert exported["candidatures"][0]["resultat"] == {"score": 701, "niveau": "B2",
                                                       "date": (date.today() - timedelta(days=1)).isoformat()}


async def test_another_candidates_file_is_404(client, settings, centre) -> None:
    c = await centre()
    mine, other = await planned(c)
    elsewhere = await centre("École Voltaire")
    [theirs] = await ready(elsewhere, 1)  # c0@clr.com again, at another partner: the same person
    await login(client, "c1@clr.com", "secret1")
    page = await client.get(PAGE)
    body = text(page)
    assert f"dossier-{other}" in page.text and f"dossier-{mine}" not in page.text and "École Voltaire" not in body
    assert "Code d'activation" in body and "Session surveillée par votre centre" in body
    assert (await client.get(f"{PAGE}/{mine}/convocation.ics")).status_code == 404
    assert (await client.get(f"{PAGE}/{other}/convocation.ics")).status_code == 404  # supervised: no convocation
    for target in (mine, theirs, other + 999):
        r = await post_form(client, f"{PAGE}/{target}/coordonnees", COORDS, form_path=PAGE)
        assert r.status_code == 404
    assert (await c.call("GET", f"/candidates/{mine}")).json()["donnees"].get("coordonnees") is None
    client.cookies.clear()
    assert (await client.get(PAGE, follow_redirects=False)).status_code in (302, 303, 401)


async def test_a_person_without_file_gets_no_section(client, settings, centre) -> None:
    c = await centre()
    await planned(c)
    await sign_up(client, settings, "personne@exemple.fr")
    assert "Ma certification Le Robert" not in (await client.get("/mon-espace/")).text
    page = await client.get(PAGE)
    assert page.status_code == 200 and 'id="no-file"' in page.text


async def test_the_partners_password_opens_a_new_account_never_an_existing_one(app, client, settings, centre) -> None:
    c = await centre()
    new = await c.candidate(courriel="nouveau@clr.com", nom="Nouveau")
    r = await c.call("PUT", f"/candidates/{new['id']}/steps/mot_de_passe",
                     json={"mot_de_passe": "robert1", "confirmation": "robert1", "envoyer": True})
    assert r.status_code == 200 and r.json()["donnees"]["mot_de_passe"]["compte"] == "cree"
    await deliver_outbox(settings, app.state.jobs)
    [mail] = [m for m in sent_mails(settings) if "nouveau@clr.com" in str(m["To"])]
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert "Votre identifiant : nouveau@clr.com" in body and "Votre mot de passe : robert1" in body
    await c.call("PUT", f"/candidates/{new['id']}/steps/informations", json=INFOS)
    await login(client, "nouveau@clr.com", "robert1")
    assert f"dossier-{new['id']}" in (await client.get(PAGE)).text  # unverified, but the account is its claim
    erased = await post_form(client, "/mon-espace/donnees/supprimer", {"confirm_email": "nouveau@clr.com"},
                             form_path="/mon-espace/donnees")
    assert erased.status_code == 200 and "Compte supprimé" in text(erased)
    kept = (await c.call("GET", f"/candidates/{new['id']}")).json()
    assert kept["courriel"] == "nouveau@clr.com"  # the partner keeps its file, unlinked from the erased account
    assert (await Candidate.select(Candidate.account).where(Candidate.id == new["id"]).first())["account"] is None
    client.cookies.clear()

    await sign_up(client, settings, "zoe@exemple.fr")  # Zoé has her own space already
    client.cookies.clear()
    zoe = await c.candidate(courriel="zoe@exemple.fr", nom="Dupré")
    r = await c.call("PUT", f"/candidates/{zoe['id']}/steps/mot_de_passe",
                     json={"mot_de_passe": "robert2", "confirmation": "robert2", "envoyer": True})
    assert r.json()["donnees"]["mot_de_passe"]["compte"] == "existant"
    await deliver_outbox(settings, app.state.jobs)
    mail = [m for m in sent_mails(settings) if "zoe@exemple.fr" in str(m["To"]) and "Le Robert" in str(m["Subject"])]
    body = mail[0].get_body(preferencelist=("plain",)).get_content()
    assert "robert2" not in body and "mot de passe habituel" in body
    with pytest.raises(AssertionError):
        await login(client, "zoe@exemple.fr", "robert2")  # the partner's password was not applied
    await c.call("PUT", f"/candidates/{zoe['id']}/steps/informations", json=INFOS)
    await login(client, "zoe@exemple.fr", PASSWORD)
    page = await client.get(PAGE)
    assert f"dossier-{zoe['id']}" in page.text and f"dossier-{new['id']}" not in page.text
