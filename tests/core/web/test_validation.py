"""One validation layer for every API input (security review, issue 10 items 5, 8, 9; issue 13 item 6;
issue 14 item 10): ids, dates, durations, zone names and lengths are refused with a 422 naming the field,
in French, with the `{"detail", "errors": [{"field", "message"}]}` body the OpenAPI document declares."""

from datetime import date, timedelta
from urllib.parse import urlencode

import msgspec
import pytest

from core.errors import ValidationFailed
from core.testing.fixtures import api_token, login
from core.validation import Day, Moment, check_id, decode_day, decode_moment, valid_timezone
from core.web.messages import field_errors, french

HUGE = "99999999999999999999"
MONDAY = date.today() + timedelta(days=7 - date.today().weekday())


def _only(response, status, field):
    assert response.status_code == status, response.text[:300]
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert [e["field"] for e in body["errors"]] == [field], body
    return body["errors"][0]["message"]


@pytest.fixture
async def owner(client, make_org):
    org = await make_org()
    headers = await api_token(client, org.owner_email)
    calendars = f"/api/v1/offices/{org.office_id}/calendars"
    calendar = (await client.post(calendars, headers=headers, json={"name": "Accueil"})).json()
    return org, headers, calendars, calendar["id"]


async def test_ids_beyond_the_columns_are_422(client, owner):
    _, headers, calendars, _ = owner
    assert "inférieure ou égale à 2147483647" in _only(await client.get(f"/api/v1/offices/{HUGE}", headers=headers),
                                                         422, "office_id")
    _only(await client.get("/api/v1/offices/0", headers=headers), 422, "office_id")
    _only(await client.get(f"/api/v1/members/{2**31}", headers=headers), 422, "member_id")
    _only(await client.post("/api/v1/cart/lines", headers=headers, json={
        "office_id": int(HUGE), "module": "x", "action": "activate"}), 422, "office_id")
    _only(await client.get(f"{calendars}/slots?" + urlencode({
        "calendar_ids": HUGE, "start": f"{MONDAY}T00:00:00+01:00", "end": f"{MONDAY}T23:00:00+01:00",
        "duration": 30}), headers=headers), 422, "calendar_ids")


async def test_year_9999_and_timestamps_are_422(client, owner):
    _, headers, calendars, calendar_id = owner
    far = {"start": "9999-12-30T00:00:00+00:00", "end": "9999-12-31T00:00:00+00:00", "duration": 30}
    response = await client.get(f"{calendars}/slots?" + urlencode(far), headers=headers)
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"start", "end"}
    message = _only(await client.post(f"{calendars}/{calendar_id}/bookings", headers=headers, json={
        "start": "9999-12-31T10:00:00+00:00", "end": f"{MONDAY}T10:00:00+01:00"}), 422, "start")
    assert message == "L'année doit être comprise entre 1900 et 2200."
    _only(await client.post(f"{calendars}/{calendar_id}/bookings", headers=headers, json={
        "start": 12345, "end": f"{MONDAY}T10:00:00+01:00"}), 422, "start")
    _only(await client.post(f"{calendars}/{calendar_id}/rules", headers=headers, json={
        "start": "09:00", "end": "10:00", "first_date": "9999-12-31"}), 422, "first_date")


async def test_durations_and_notices_name_their_field(client, owner):
    _, headers, calendars, calendar_id = owner
    _only(await client.get(f"{calendars}/first-free?duration=-1494360867", headers=headers), 422, "duration")
    _only(await client.get(f"{calendars}/first-free?duration=30&min_notice=99999999", headers=headers), 422,
          "min_notice")
    week = {"start": f"{MONDAY}T00:00:00+01:00", "end": f"{MONDAY}T23:00:00+01:00", "duration": 30}
    _only(await client.get(f"{calendars}/slots?" + urlencode({**week, "buffer_before": 2000}), headers=headers),
          422, "buffer_before")
    rules = f"{calendars}/{calendar_id}/rules"
    base = {"start": "09:00", "end": "10:00", "first_date": MONDAY.isoformat()}
    _only(await client.post(rules, headers=headers, json={**base, "interval": 0}), 422, "interval")
    _only(await client.post(rules, headers=headers, json={**base, "interval": 500}), 422, "interval")
    _only(await client.post(rules, headers=headers, json={**base, "count": 0}), 422, "count")
    _only(await client.post(rules, headers=headers, json={**base, "count": 3, "until": MONDAY.isoformat()}), 422,
          "count")
    assert (await client.get(rules, headers=headers)).json() == []  # nothing half-written


async def test_lengths_follow_the_columns(client, owner):
    _, headers, calendars, _ = owner
    me = (await client.get("/api/v1/me", headers=headers)).json()
    message = _only(await client.patch(f"/api/v1/members/{me['member_id']}", headers=headers,
                                       json={"display_name": "x" * 100_000}), 422, "display_name")
    assert message == "200 caractères au plus."
    _only(await client.post("/api/v1/offices", headers=headers, json={"name": "Annexe", "address": "x" * 100_000}),
          422, "address")
    _only(await client.post("/api/v1/offices", headers=headers, json={"name": "Annexe", "timezone": "E" * 100_000}),
          422, "timezone")
    _only(await client.post(calendars, headers=headers, json={"name": "A", "timezone": "Europe/" + "x" * 50}),
          422, "timezone")
    _only(await client.post(calendars, headers=headers, json={"name": "A", "timezone": "Mars/Olympus"}),
          422, "timezone")
    assert len((await client.get("/api/v1/offices", headers=headers)).json()) == 1


async def test_error_body_is_always_detail_and_errors(client, owner):
    _, headers, calendars, _ = owner
    malformed = await client.post("/api/v1/offices", headers={**headers, "content-type": "application/json"},
                                  content=b'{"name": ')
    assert _only(malformed, 400, "body") == "Le contenu envoyé n'est pas un JSON valide."
    _only(await client.post("/api/v1/offices", headers=headers, json={"name": "A", "pirate": 1}), 422, "pirate")
    _only(await client.post("/api/v1/offices", headers=headers, json={}), 422, "name")
    _only(await client.get(f"{calendars}/first-free", headers=headers), 422, "duration")
    refused = await client.get("/api/v1/offices", headers={"Authorization": "Bearer faux"})
    assert refused.status_code == 401 and set(refused.json()) == {"detail", "errors"}


async def test_pages_answer_404_for_an_impossible_id(client, make_org):
    org = await make_org()
    await login(client, org.owner_email)
    page = await client.get(f"/config/offices/{HUGE}")
    assert page.status_code == 404 and "text/html" in page.headers["content-type"]


async def test_openapi_declares_the_real_errors_and_the_bearer_scheme(client):
    schema = (await client.get("/schema/openapi.json")).json()
    assert schema["components"]["securitySchemes"]["bearer"] == {
        "type": "http", "scheme": "bearer", "description": "Jeton obtenu par POST /api/v1/auth/token."}
    assert schema["security"] == [{"bearer": []}]
    error = schema["components"]["schemas"]["ErrorOut"]
    assert set(error["properties"]) == {"detail", "errors"}
    module_paths = [p for p in schema["paths"] if "/m/" in p]
    assert module_paths, "the installed modules' API is in the document"
    assert "/public/o/{slug}/m/rdv_service_public/api/rdvs" in schema["paths"]  # public JSON, not the pages
    assert not [p for p in schema["paths"] if p.startswith("/public/") and "/api/" not in p]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            public = path == "/api/v1/auth/token" or path.startswith("/public/")
            expected = {"400", "401", "404", "422"} | (set() if public else {"403", "409"})
            assert expected <= set(responses), (method, path, sorted(responses))
            for code in expected:
                assert responses[code]["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/ErrorOut"}, (method, path, code)
            for parameter in operation.get("parameters", []):
                if parameter["name"].endswith("_id") and parameter["in"] == "path" and "/m/" not in path:
                    assert parameter["schema"]["maximum"] == 2**31 - 1, (path, parameter)


@pytest.mark.nodb
def test_moments_and_days_decode_from_iso_strings_only():
    assert decode_moment(Moment, "2026-03-02T09:30:00Z") == Moment.fromisoformat("2026-03-02T09:30:00+00:00")
    assert isinstance(decode_day(Day, "2026-03-02"), Day)
    for bad in (12345, "9999-12-31T00:00:00", "1899-12-31T00:00:00", "demain", None):
        with pytest.raises(ValueError):
            decode_moment(Moment, bad)
    with pytest.raises(ValueError, match="entre 1900 et 2200"):
        decode_day(Day, "2201-01-01")


@pytest.mark.nodb
def test_ids_and_zones():
    assert check_id("x", " 42 ") == 42
    for bad in ("0", "-3", str(2**31), "abc", None):
        with pytest.raises(ValidationFailed) as caught:
            check_id("x", bad)
        assert caught.value.errors[0].field == "x"
    assert valid_timezone("Europe/Paris") and valid_timezone("America/Argentina/Buenos_Aires")
    assert not valid_timezone("E" * 100_000) and not valid_timezone("../../etc/passwd")
    assert not valid_timezone("Mars/Olympus")


@pytest.mark.nodb
def test_msgspec_messages_in_french():
    class Body(msgspec.Struct):
        n: int

    assert french("Expected `int`, got `str`") == "Valeur invalide : un nombre entier est attendu."
    assert french("Expected `str | null`, got `int`") == "Valeur invalide : un texte ou null est attendu."
    assert french("Expected `int` >= 1") == "La valeur doit être supérieure ou égale à 1."
    assert french("Expected `str` of length <= 200") == "200 caractères au plus."
    assert french("Expected `str` of length >= 1") == "Ce champ ne peut pas être vide."
    assert french("Déjà en français.") == "Déjà en français."
    errors = field_errors([{"key": "office_id", "message": "'office_id'", "source": "path"},
                           {"key": "data", "message": "Object contains unknown field `zz`", "source": "body"}], "")
    assert [(e.field, e.message) for e in errors] == [("zz", "Champ inconnu.")]
    missing = field_errors([], "Missing required query parameter 'start' for path /x")
    assert [(e.field, e.message) for e in missing] == [("start", "Ce paramètre est obligatoire.")]
