"""« Accueil » and « Certifications » through the pages: the dashboard's figures, supervised assignment with
its codes sheet (PDF), La Poste planning with its convocation (loopback SMTP); errors next to the fields."""

import io
from datetime import date, timedelta

import pypdf

from core.testing.fixtures import login, submit
from plugins.certification_robert.services import stock
from plugins.certification_robert.services.common import Ctx
from plugins.certification_robert.tables import Assignment
from tests.plugins.certification_robert.test_planning import mails, smtp_settings  # noqa: F401
from tests.plugins.certification_robert.test_stock import ready

DAY = (date.today() + timedelta(days=9)).isoformat()


def url(c, path: str) -> str:
    return f"/offices/{c.org.office_id}/m/certification_robert{path}"


async def test_home_and_planning_pages(centre, client, add_member, mails) -> None:  # noqa: F811
    c = await centre()
    ids = await ready(c, 3)
    await c.candidate(nom="Brouillon", courriel="draft@clr.com")
    await c.make("/groups", {"name": "Client A", "category": "client"})
    await login(client, c.org.owner_email)
    home = await client.get(url(c, "/"), follow_redirects=True)
    assert str(home.url).endswith("/accueil")
    assert 'id="stock-total">0<' in home.text and 'id="candidates-total">4<' in home.text
    assert f'href="{url(c, "/candidats?status=a_attribuer")}">3<' in home.text and 'id="groups-total">1<' in home.text
    for button in ("Commander", "Créer un candidat", "Générer les codes"):
        assert f">{button}</a>" in home.text

    page = url(c, "/certifications")
    assert "NOM00 Sébastien" in (await client.get(page)).text
    bad = await submit(client, page, url(c, "/certifications/centre"), {"planned_on": ""})
    assert bad.status_code == 422
    assert 'id="centre-planned_on" name="planned_on" type="date" value="" aria-required="true" aria-invalid="true"' \
        in bad.text
    assert 'id="centre-candidate_ids-error">Sélectionnez au moins un candidat.' in bad.text
    assert 'id="laposte-address-error"' not in bad.text
    pick = {"planned_on": DAY, "candidate_ids": [str(ids[0]), str(ids[1])]}
    empty = await submit(client, page, url(c, "/certifications/centre"), pick)
    assert empty.status_code == 409 and "est insuffisant pour 2 candidat(s)" in empty.text
    await stock.add(Ctx(c.org.organisation_id, c.org.office_id), "centre", 2)
    done = await submit(client, page, url(c, "/certifications/centre"), pick)
    assert done.status_code in (302, 303)
    listing = await client.get(done.headers["location"])
    assert "Certifications attribuées" in listing.text and 'id="level-centre">0<' in listing.text
    [session] = (await c.call("GET", "/sessions")).json()
    sheet = await client.get(url(c, f"/sessions/{session['id']}/codes.pdf"))
    assert sheet.status_code == 200 and sheet.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(sheet.content)).pages)
    codes = [r["code"] for r in await Assignment.select(Assignment.code).where(Assignment.session == session["id"])]
    assert len(codes) == 2 and all(code in text for code in codes)

    await stock.add(Ctx(c.org.organisation_id, c.org.office_id), "laposte", 1)
    poste = url(c, "/certifications/laposte")
    missing = await submit(client, page, poste, {"planned_on": DAY, "candidate_ids": str(ids[2])})
    assert missing.status_code == 422 and 'aria-describedby="laposte-address-error"' in missing.text
    assert 'id="laposte-starts_at-error">Saisissez l' in missing.text
    planned = await submit(client, page, poste, {"planned_on": DAY, "starts_at": "09:30", "candidate_ids": str(ids[2]),
                                                 "address": "La Poste Lyon Bellecour, 69002 Lyon"})
    assert planned.status_code in (302, 303)
    [mail] = await mails("c2@clr.com")
    assert "Convocation" in str(mail["Subject"])
    home = await client.get(url(c, "/accueil"))
    assert 'id="cand-en_attente">3<' in home.text and 'id="stock-total">0<' in home.text

    _, email = await add_member(c.org, "basic")
    client.cookies.clear()
    await login(client, email)
    home = await client.get(url(c, "/accueil"))
    assert home.status_code == 200 and ">Commander</a>" not in home.text
    b = await centre("École Voltaire")
    client.cookies.clear()
    await login(client, b.org.owner_email)
    assert (await client.get(url(b, f"/sessions/{session['id']}/codes.pdf"))).status_code == 404
