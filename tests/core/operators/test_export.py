"""The export archive: the organisation's rows (no secrets, nothing of another organisation) and its files."""

import io
import json
import zipfile
from datetime import date

import pyotp

from core.documents.services import store
from core.operators import accounts
from core.testing.fixtures import csrf_token


async def test_export_archive_is_complete(client, make_org):
    org = await make_org("Auto-école des Tilleuls", "gerant@tilleuls.test")
    other = await make_org("Autre", "autre@socle.test")
    await store(organisation_id=org.organisation_id, module="alpha", kind="attestation", title="Attestation",
                filename="attestation.pdf", content=b"%PDF-1.7 tilleuls", content_type="application/pdf",
                keep_until=date(2030, 1, 1), office_id=org.office_id)
    await store(organisation_id=other.organisation_id, module="alpha", kind="attestation", title="Autre",
                filename="autre.pdf", content=b"%PDF-1.7 autre", content_type="application/pdf",
                keep_until=date(2030, 1, 1))
    new = await accounts.create_operator("ops@socle.test", "operateur-secret-1")
    token = await csrf_token(client, "/operateur/connexion")
    await client.post("/operateur/connexion", data={"email": new.email, "password": "operateur-secret-1",
                                                   "code": pyotp.TOTP(new.secret).now(), "_csrf_token": token})
    response = await client.get(f"/operateur/organisations/{org.organisation_id}/export")
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    zipped = zipfile.ZipFile(io.BytesIO(response.content))
    names = zipped.namelist()
    assert [n for n in names if n.startswith("documents/")] == [n for n in names if n.endswith("attestation.pdf")]
    assert zipped.read(next(n for n in names if n.startswith("documents/"))) == b"%PDF-1.7 tilleuls"
    data = json.loads(zipped.read("data.json"))
    assert [o["name"] for o in data["core_organisation"]] == ["Auto-école des Tilleuls"]
    assert {u["email"] for u in data["core_user"]} == {"gerant@tilleuls.test"}
    assert [office["id"] for office in data["core_office"]] == [org.office_id]
    assert "password_hash" not in zipped.read("data.json").decode()
    assert "autre@socle.test" not in json.dumps(data)
