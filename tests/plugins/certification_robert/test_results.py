"""Results reach Socle signed by the certifier (HMAC with the office's secret, timestamp window, no replay)
or as a CSV the partner imports; a result makes the candidate « Passée » and its attestation PDF a core
document. On any error: a 401/409/422 naming what is wrong, and nothing written."""

import io
import json
import time
from datetime import date, timedelta

import pypdf
import pytest

from core.testing.fixtures import csrf_token, deliver_outbox, login
from plugins.certification_robert.services import results, results_csv, signature, stock
from plugins.certification_robert.services.common import Ctx
from plugins.certification_robert.tables import Candidate, InboundReceipt, Result
from tests.plugins.certification_robert.test_stock import ready

SECRET = "partage-le-robert-2026"
DAY = (date.today() + timedelta(days=10)).isoformat()
PASSED = (date.today() - timedelta(days=1))


async def assigned(c, n: int = 2) -> list[int]:
    """`n` candidates c0@clr.com… with a supervised certification, and the office's results secret set."""
    ids = await ready(c, n)
    await stock.add(Ctx(c.org.organisation_id, c.org.office_id), "centre", n)
    r = await c.call("POST", "/assignments", json={"kind": "centre", "planned_on": DAY, "candidate_ids": ids})
    assert r.status_code == 201, r.text
    r = await c.call("PUT", "/settings", json={"results_secret": SECRET})
    assert r.status_code == 200, r.text
    return ids


async def post_signed(c, body: bytes, secret: str = SECRET, stamp: int | None = None, sig: str | None = None):
    stamp = int(time.time()) if stamp is None else stamp
    headers = {"X-Robert-Timestamp": str(stamp), "X-Robert-Signature": sig or signature.sign(secret, stamp, body),
               "Content-Type": "application/json"}
    return await c.client.post(f"/public/offices/{c.org.office_id}/m/certification_robert/api/resultats",
                               content=body, headers=headers)


def payload(*entries: dict) -> bytes:
    return json.dumps({"results": list(entries)}).encode()


def entry(i: int = 0, **changes) -> dict:
    return {"email": f"c{i}@clr.com", "score": 745, "level": "B2", "passed_on": PASSED.isoformat(), **changes}


async def statuses(ids: list[int]) -> list[str]:
    return [r["status"] for r in await Candidate.select(Candidate.status).where(
        Candidate.id.is_in(ids)).order_by(Candidate.id)]


async def test_signed_results_make_candidates_passee_with_an_attestation(app, settings, centre) -> None:
    c = await centre()
    ids = await assigned(c)
    r = await post_signed(c, payload(entry(0), entry(1, score="512", level="b1")))
    assert r.status_code == 200, r.text
    assert r.json() == {"recorded": 2}
    assert await statuses(ids) == ["passee", "passee"]
    listed = {x["id"]: x for x in (await c.call("GET", "/candidates?status=passee")).json()}
    assert listed[ids[0]]["date_passage"] == PASSED.isoformat()
    rows = {r["candidate"]: r for r in await Result.select()}
    assert (rows[ids[1]]["score"], rows[ids[1]]["level"], rows[ids[1]]["source"]) == (512, "B1", "api")
    await deliver_outbox(settings, app.state.jobs)
    [doc] = await Result.select(Result.document).where(Result.candidate == ids[0])
    assert doc["document"] is not None
    from core.plugin_api import documents

    info = await documents.get(doc["document"])
    assert info.module == "certification_robert" and info.kind == "robert_attestation"
    assert info.person_ref == f"candidat:{ids[0]}" and info.user_id is None
    await deliver_outbox(settings, app.state.jobs)  # at least once: a second run stores nothing more
    assert len(await documents.list_for_office(c.org.organisation_id, c.org.office_id, "certification_robert")) == 2


async def test_wrong_signature_expired_or_replayed_requests_are_refused(centre) -> None:
    c = await centre()
    ids = await assigned(c, 1)
    body = payload(entry(0))
    wrong = await post_signed(c, body, secret="pas-le-bon-secret")
    assert wrong.status_code == 401 and wrong.json()["detail"] == "Signature des résultats invalide."
    tampered = await post_signed(c, body, sig=signature.sign(SECRET, int(time.time()), payload(entry(0, score=990))))
    assert tampered.status_code == 401
    assert (await post_signed(c, body, sig="nimportequoi")).status_code == 401
    old = await post_signed(c, body, stamp=int(time.time()) - 301)
    assert old.status_code == 401 and "expirée" in old.json()["detail"]
    missing = await c.client.post(f"/public/offices/{c.org.office_id}/m/certification_robert/api/resultats",
                                  content=body)
    assert missing.status_code == 401 and "Timestamp" in missing.json()["detail"]
    assert await statuses(ids) == ["en_attente"] and await Result.count() == 0
    stamp = int(time.time())
    assert (await post_signed(c, body, stamp=stamp)).status_code == 200
    replay = await post_signed(c, body, stamp=stamp)
    assert replay.status_code == 409 and "déjà été reçus" in replay.json()["detail"]
    assert await InboundReceipt.count() == 1


async def test_no_secret_inactive_or_unknown_office_is_refused(centre) -> None:
    c = await centre()
    await ready(c, 1)
    r = await post_signed(c, payload(entry(0)), secret="")
    assert r.status_code == 401 and "Aucun secret" in r.json()["detail"]
    other = await centre("École Voltaire")
    r = await c.client.post(f"/public/offices/{other.org.office_id + 999}/m/certification_robert/api/resultats",
                            content=b"{}")
    assert r.status_code == 404
    csv = b"courriel;score;niveau;date\nc0@clr.com;745;B2;01/01/2026\n"
    r = await c.client.post(f"/api/v1/offices/{other.org.office_id}/m/certification_robert/results/import",
                            content=csv, headers=c.headers)  # another organisation's office
    assert r.status_code == 404


@pytest.mark.parametrize(("body", "fields"), [
    (b"pas du json", {"body"}),
    (json.dumps({"resultats": []}).encode(), {"results"}),
    (payload(entry(0, score=991), entry(1, level="D1", passed_on="2026-13-01")),
     {"results[0].score", "results[1].level", "results[1].passed_on"}),
    (payload(entry(0, email="inconnu@clr.com")), {"results[0].email"}),
    (payload(entry(0), entry(5)), {"results[1].email"}),
    (payload(entry(0, passed_on=(date.today() + timedelta(days=2)).isoformat())), {"results[0].passed_on"}),
])
async def test_bad_bodies_name_the_field_and_write_nothing(centre, body, fields) -> None:
    c = await centre()
    ids = await assigned(c)
    r = await post_signed(c, body)
    assert r.status_code == 422, r.text
    assert {e["field"] for e in r.json()["errors"]} == fields
    assert await statuses(ids) == ["en_attente", "en_attente"]
    assert await Result.count() == 0 and await InboundReceipt.count() == 0


async def test_a_candidate_without_certification_gets_no_result(centre) -> None:
    c = await centre()
    await assigned(c, 1)
    made = await c.candidate(courriel="sans@clr.com", nom="Sans")
    r = await post_signed(c, payload(entry(0), entry(0, email="sans@clr.com")))
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "results[1].email",
                                   "message": "Ce candidat n'a pas de certification attribuée."}]
    assert (await c.call("GET", f"/candidates/{made['id']}")).json()["statut"] == "en_creation"


def csv_bytes(text: str, bom: bool = True) -> bytes:
    return (("\ufeff" if bom else "") + text).encode()


async def test_csv_import_with_bom_and_either_delimiter(centre) -> None:
    c = await centre()
    ids = await assigned(c, 3)
    semi = csv_bytes(f"Courriel;Score;Niveau;Date\r\nc0@clr.com;745;B2;{PASSED:%d/%m/%Y}\r\n\r\nC1@clr.com;300;a2;"
                     f"{PASSED.isoformat()}\r\n")
    r = await c.client.post(c.base + "/results/import", content=semi, headers={**c.headers,
                                                                               "Content-Type": "text/csv"})
    assert r.status_code == 200 and r.json() == {"recorded": 2}, r.text
    comma = csv_bytes(f"date,niveau,score,courriel\n{PASSED:%d/%m/%Y},C1,880,c2@clr.com\n", bom=False)
    assert await results_csv.import_file(Ctx(c.org.organisation_id, c.org.office_id), comma) == 1
    assert await statuses(ids) == ["passee"] * 3
    assert {r["score"] for r in await Result.select(Result.score)} == {745, 300, 880}


async def test_csv_errors_are_located_and_nothing_is_written(centre) -> None:
    c = await centre()
    ids = await assigned(c, 2)
    bad = csv_bytes("courriel;score;niveau;date\nc0@clr.com;745;B2;01/01/2026\nc1@clr.com;mille;Z9;31/02/2026\n"
                    "absent@clr.com;500;B1;01/01/2026\n")
    r = await c.client.post(c.base + "/results/import", content=bad, headers=c.headers)
    assert r.status_code == 422
    fields = [e["field"] for e in r.json()["errors"]]
    assert fields == ["ligne 3, colonne score", "ligne 3, colonne niveau", "ligne 3, colonne date"]
    assert "« mille »" in r.json()["errors"][0]["message"]
    unknown = csv_bytes("courriel;score;niveau;date\nc0@clr.com;745;B2;01/01/2026\nabsent@clr.com;500;B1;01/01/2026\n")
    r = await c.client.post(c.base + "/results/import", content=unknown, headers=c.headers)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "ligne 3, colonne courriel"
    assert await statuses(ids) == ["en_attente", "en_attente"] and await Result.count() == 0
    for content, word in [(b"", "vide"), (csv_bytes("nom;score\nx;1\n"), "Colonnes manquantes"),
                          ("courriel;score;niveau;date\né;1;B1;01/01/2026".encode("latin-1"), "UTF-8")]:
        r = await c.client.post(c.base + "/results/import", content=content, headers=c.headers)
        assert r.status_code == 422 and word in r.json()["errors"][0]["message"]


async def test_import_page_shows_the_errors_table_then_imports(client, centre) -> None:
    c = await centre()
    await assigned(c, 1)
    await login(client, c.org.owner_email)
    page = f"/offices/{c.org.office_id}/m/certification_robert/resultats"
    token = await csrf_token(client, page)
    bad = csv_bytes("courriel;score;niveau;date\nc0@clr.com;745;B9;01/01/2026\n")
    r = await client.post(page, data={"_csrf_token": token}, files={"file": ("r.csv", bad, "text/csv")})
    assert r.status_code == 422 and 'id="file-errors"' in r.text and "B9" in r.text and "niveau" in r.text
    good = csv_bytes(f"courriel;score;niveau;date\nc0@clr.com;745;B2;{PASSED:%d/%m/%Y}\n")
    r = await client.post(page, data={"_csrf_token": token}, files={"file": ("r.csv", good, "text/csv")},
                          follow_redirects=False)
    assert r.status_code in (302, 303) and r.headers["location"].endswith("/candidats?status=passee")
    shown = await client.get(page)
    assert 'id="results"' in shown.text and "745 / 990" in shown.text and "fichier" in shown.text
    [listed] = (await c.call("GET", "/results")).json()
    assert (listed["courriel"], listed["score"], listed["niveau"], listed["source"]) == ("c0@clr.com", 745, "B2",
                                                                                        "csv")
    other = await centre("École Voltaire")
    assert (await other.call("GET", "/results")).json() == []


@pytest.mark.nodb
def test_signature_is_hmac_of_timestamp_and_body() -> None:
    body = b'{"results": []}'
    value = signature.sign("k", 1700000000, body)
    assert value.startswith("sha256=") and len(value) == 71
    assert signature.verify("k", "1700000000", value, body, now=1700000100)[0] == 1700000000
    with pytest.raises(signature.BadSignature):
        signature.verify("k", "1700000000", value, body + b" ", now=1700000100)
    assert results.check({"email": "a@b.fr", "score": True, "level": "B2", "passed_on": "2026-01-01"})[1] == ["score"]


async def test_attestation_pdf_reads_score_and_level(app, settings, centre) -> None:
    c = await centre()
    ids = await assigned(c, 1)
    assert (await post_signed(c, payload(entry(0, score=812, level="C1")))).status_code == 200
    await deliver_outbox(settings, app.state.jobs)
    [row] = await Result.select(Result.document).where(Result.candidate == ids[0])
    from core.documents.storage import bound_storage
    from core.documents.tables import Document

    [stored] = await Document.select(Document.storage_key).where(Document.id == row["document"])
    content = await bound_storage().get(stored["storage_key"])
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages)
    assert "812 / 990" in text and "C1" in text and "Attestation de résultat" in text and "NOM00" in text
