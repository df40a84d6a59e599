"""Bad input on the module's routes (security review, issue 10 items 4, 5, 8 and 9): the public booking JSON
answers JSON errors naming the field, never an HTML page and never a 500; the agents' API names only the
field at fault (no false `office_id` entry) and refuses a number as a date."""

import pytest

from tests.plugins.rdv_service_public.test_public import online, public_url  # noqa: F401  (fixture)

HUGE = 99999999999999999999


def _error(response, status, field):
    assert response.status_code == status, response.text[:300]
    assert response.headers["content-type"].startswith("application/json"), response.text[:200]
    body = response.json()
    assert set(body) == {"detail", "errors"} and body["detail"]
    assert [e["field"] for e in body["errors"]] == [field], body
    return body


@pytest.mark.parametrize(("method", "path", "payload", "status", "field"), [
    ("POST", "/api/rdvs", {"motif_id": HUGE, "starts_at": "2030-01-01T10:00:00", "citizen_name": "X"}, 422,
     "motif_id"),
    ("POST", "/api/rdvs", {"motif_id": "MOTIF", "starts_at": 12345, "citizen_name": "X"}, 422, "starts_at"),
    ("POST", "/api/rdvs", {"motif_id": "MOTIF", "starts_at": "9999-12-31T10:00:00", "citizen_name": "X"}, 422,
     "starts_at"),
    ("POST", "/api/rdvs", {"motif_id": "MOTIF", "starts_at": "2030-01-01T10:00:00", "citizen_name": "X",
                           "pirate": True}, 422, "pirate"),
    ("POST", "/api/rdvs", {"motif_id": "MOTIF", "starts_at": "2030-01-01T10:00:00", "citizen_name": "x" * 201},
     422, "citizen_name"),
    ("GET", "/api/motifs/MOTIF/slots?start=9999-12-31", None, 422, "start"),
    ("GET", f"/api/motifs/{HUGE}/slots", None, 422, "motif_id"),
    ("GET", "/api/motifs/MOTIF/slots?lieu_id=abc", None, 422, "lieu_id"),
])
async def test_public_json_names_the_field(online, client, method, path, payload, status, field):  # noqa: F811
    t, motif = online["town"], online["online_motif"]
    path = path.replace("MOTIF", str(motif["id"]))
    if isinstance(payload, dict) and payload.get("motif_id") == "MOTIF":
        payload = {**payload, "motif_id": motif["id"]}
    _error(await client.request(method, public_url(t, path), json=payload), status, field)


async def test_public_malformed_json_is_a_json_400(online, client):  # noqa: F811
    t = online["town"]
    response = await client.post(public_url(t, "/api/rdvs"), content=b'{"motif_id": ',
                                 headers={"content-type": "application/json"})
    body = _error(response, 400, "body")
    assert body["errors"][0]["message"] == "Le contenu envoyé n'est pas un JSON valide."
    unknown = await client.get(public_url(t, f"/api/motifs/{HUGE}"))
    assert unknown.headers["content-type"].startswith("application/json")  # even a 404 of the JSON routes


async def test_public_pages_ignore_an_absurd_date(online, client):  # noqa: F811
    t, motif = online["town"], online["online_motif"]
    page = await client.get(public_url(t, f"/motifs/{motif['id']}/creneaux?start=9999-12-31"))
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]


async def test_module_api_names_only_the_field_at_fault(configured, client):
    t = configured["town"]
    wrong_type = await t.call("POST", "/services", json={"name": 5})
    assert _error(wrong_type, 422, "name")["errors"][0]["message"] == "Valeur invalide : un texte est attendu."
    timestamp = await t.call("POST", "/rdvs", json={"motif_id": configured["motif"]["id"], "starts_at": 12345,
                                                    "citizen_name": "Horodatage"})
    _error(timestamp, 422, "starts_at")
    _error(await t.call("DELETE", f"/motifs/{HUGE}"), 422, "item_id")
    _error(await t.call("GET", "/slots?motif_id=1&days=500"), 422, "days")
    response = await client.get(f"/api/v1/offices/{HUGE}/m/rdv_service_public/services", headers=t.headers)
    _error(response, 422, "office_id")
    empty = await t.call("POST", "/services", content=b"", headers={**t.headers,
                                                                    "content-type": "application/json"})
    _error(empty, 422, "body")
    listed = await t.call("GET", "/services")
    assert [s["name"] for s in listed.json()] == ["État civil"]  # nothing half-written
