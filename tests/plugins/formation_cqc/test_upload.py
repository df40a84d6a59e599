"""File import over HTTP: a CSV with errors answers 422 with each error's line, column and value and
registers nothing; the same rows fixed in an XLSX are registered in one go; an unreadable file says why."""

import re
from datetime import date, timedelta

import pytest

from core.testing.fixtures import login
from plugins.formation_cqc.services import files
from plugins.formation_cqc.tables import Registration, RegistrationLine

END = (date.today() - timedelta(days=3)).strftime("%d/%m/%Y")
ROWS = [
    ["REF1", "COM1", "Élodie", "N'Diaye", "01/02/1985", "123456789012"],
    ["REF2", "", "Paul", "Durand", "01/01/1990", "223456789012"],
    ["REF3", "COM1", "Luc", "Petit", "01/01/2015", "323456789012"],
]


@pytest.fixture
def socle_plugin() -> str:
    return "formation_cqc"


async def _token(client, url):
    return re.search(r'name="_csrf_token" value="([^"]+)"', (await client.get(url)).text).group(1)


async def test_csv_errors_then_clean_xlsx(client, office_with_plugin):
    org = office_with_plugin
    base = f"/offices/{org.office_id}/m/formation_cqc"
    await login(client, org.owner_email)
    await client.post(base + "/agrements", data={"training": "fimo", "sector": "voyageurs", "number": "AG-2",
                                                 "valid_from": "01/01/2020", "valid_to": "31/12/2099",
                                                 "_csrf_token": await _token(client, base + "/agrements")})
    form = {"training": "fimo", "label": "FIMO voyageurs", "end_date": END}
    csv = "\r\n".join(";".join(r) for r in [files.HEADER, *ROWS]).encode("utf-8-sig")
    token = await _token(client, base + "/sessions/fichier")
    bad = await client.post(base + "/sessions/fichier", data={**form, "_csrf_token": token},
                            files={"file": ("conducteurs.csv", csv, "text/csv")})
    assert bad.status_code == 422, bad.text[:500]
    table = bad.text.split('id="file-errors"', 1)[1]
    assert "<td>3</td><td>N° de commande</td><td></td>" in table
    assert "<td>4</td><td>Date de naissance</td><td>01/01/2015</td>" in table and "majeur" in table
    assert "rien n&#39;a été enregistré" in bad.text
    assert await Registration.count() == 0 and await RegistrationLine.count() == 0

    ROWS[1][1], ROWS[2][4] = "COM1", "01/01/1995"
    xlsx = files.write_xlsx([files.HEADER, *ROWS])
    ok = await client.post(base + "/sessions/fichier", data={**form, "_csrf_token": token},
                           files={"file": ("conducteurs.xlsx", xlsx, "application/octet-stream")},
                           follow_redirects=False)
    assert ok.status_code in (302, 303), ok.text[:500]
    (registration,) = await Registration.select()
    assert registration["line_count"] == 3 and registration["mode"] == "fichier"
    assert registration["amount_cents"] == 3 * 2534

    unreadable = await client.post(base + "/sessions/fichier", data={**form, "_csrf_token": token},
                                   files={"file": ("conducteurs.xlsx", b"pas un classeur", "application/octet-stream")})
    assert unreadable.status_code == 422 and "XLSX lisible" in unreadable.text
