"""Élèves through the French pages and the API: NEPH checked (12 digits, spaces ignored) and unique in the
organisation, errors next to the field, another organisation's élève → 404."""

from core.testing.fixtures import login, submit
from tests.plugins.passerelle_examens.conftest import STUDENT


async def test_student_creation_page_refuses_a_bad_neph_next_to_the_field(school, client) -> None:
    s = await school()
    await login(client, s.org.owner_email)
    new = s.page("/eleves/nouveau")
    bad = await submit(client, new, new, {**STUDENT, "neph": "1234 5678", "nom": ""})
    assert bad.status_code == 422
    assert "Le NEPH doit compter exactement 12 chiffres" in bad.text
    assert 'aria-invalid="true" aria-describedby="neph-error neph-hint"' in bad.text
    assert 'id="nom" name="nom" type="text" value="" aria-required="true"' in bad.text
    assert "Léa Marie" in bad.text  # what was typed is kept
    ok = await submit(client, new, new, STUDENT)
    assert ok.status_code in (302, 303) and ok.headers["location"].endswith("/eleves")
    listing = await client.get(s.page("/eleves"))
    assert "DURAND Léa Marie" in listing.text and "123456789012" in listing.text


async def test_neph_is_unique_in_the_organisation_and_ids_stay_in_it(school, client) -> None:
    a, b = await school(), await school("Auto-école Voltaire")
    made = await client.post(a.api("/students"), headers=a.headers, json=STUDENT)
    assert made.status_code == 201, made.text
    assert made.json()["neph"] == "123456789012"
    again = await client.post(a.api("/students"), headers=a.headers, json={**STUDENT, "neph": "123456789012"})
    assert again.status_code == 422
    assert "neph" in again.text and "déjà ce NEPH" in again.text
    letters = await client.post(a.api("/students"), headers=a.headers, json={**STUDENT, "neph": "12345678901A"})
    assert letters.status_code == 422 and "neph" in letters.text
    assert len((await client.get(a.api("/students"), headers=a.headers)).json()) == 1
    other = await client.post(b.api("/students"), headers=b.headers, json=STUDENT)
    assert other.status_code == 201  # another organisation may know the same élève
    sid = made.json()["id"]
    assert (await client.get(a.api(f"/students/{sid}"), headers=a.headers)).status_code == 200
    assert (await client.get(b.api(f"/students/{sid}"), headers=b.headers)).status_code == 404
