"""Two users booking the last place of a session at once → one exam file, the other a clear 409; the same
élève clicking twice at once → one file; two users saving the same NEPH at once → one élève (a lock and the
unique index per organisation). Runs on SQLite and on PostgreSQL (real concurrent transactions there)."""

import asyncio

from plugins.passerelle_examens.tables import ExamFile, Student
from tests.plugins.passerelle_examens.conftest import STUDENT, confirm_mandate
from tests.plugins.passerelle_examens.test_booking import body, slot_between


async def test_last_place_goes_to_exactly_one_booking(ready, client) -> None:
    r = await ready()
    other = await client.post(r.s.api("/students"), headers=r.s.headers,
                              json={**STUDENT, "neph": "111122223333", "nom": "Martin", "courriel": ""})
    assert other.status_code == 201
    await confirm_mandate(client, r.s, other.json()["id"])
    last = slot_between(r, 10, 60, free=1)
    first, second = await asyncio.gather(
        client.post(r.s.api("/exams"), headers=r.s.headers, json=body(r, last)),
        client.post(r.s.api("/exams"), headers=r.s.headers, json=body(r, last, other.json()["id"])))
    codes = sorted([first.status_code, second.status_code])
    assert codes == [201, 409], (first.text, second.text)
    loser = first if first.status_code == 409 else second
    assert "plus de place libre" in loser.json()["detail"]  # full at the provider, or already gone from the list
    assert await ExamFile.count().where(ExamFile.slot_id == last["slot_id"]) == 1
    assert len(r.state.bookings) == 1


async def test_same_click_twice_at_once_gives_one_file(ready, client) -> None:
    r = await ready()
    slot = slot_between(r, 10, 60)
    answers = await asyncio.gather(*(client.post(r.s.api("/exams"), headers=r.s.headers, json=body(r, slot))
                                     for _ in range(3)))
    assert sorted(a.status_code for a in answers) == [200, 200, 201], [a.text for a in answers]
    assert len({a.json()["id"] for a in answers}) == 1
    assert await ExamFile.count().where(ExamFile.student == r.student["id"]) == 1 and len(r.state.bookings) == 1


async def test_same_neph_saved_twice_at_once_gives_one_student(school, client) -> None:
    s = await school()
    new = {**STUDENT, "neph": "444455556666"}
    answers = await asyncio.gather(*(client.post(s.api("/students"), headers=s.headers, json=new) for _ in range(2)))
    assert sorted(a.status_code for a in answers) == [201, 422], [a.text for a in answers]
    assert await Student.count().where(Student.neph == "444455556666") == 1


async def test_the_database_itself_refuses_a_second_neph_in_the_organisation(school) -> None:
    import datetime as dt

    import pytest

    s = await school()
    row = {"organisation": s.org.organisation_id, "office": s.org.office_id, "civility": "madame",
           "last_name": "A", "first_names": "B", "birth_date": dt.date(2000, 1, 1), "neph": "777788889999",
           "category": "B"}
    await Student(**row).save()
    await Student(**{**row, "organisation": s.org.organisation_id + 1000}).save()  # another organisation: fine
    with pytest.raises(Exception, match=r"(?i)unique"):
        await Student(**row).save()
