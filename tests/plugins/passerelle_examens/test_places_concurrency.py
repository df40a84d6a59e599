"""Two users giving the last place of a Printel lot to two élèves at once → exactly one exam file, the other a
clear 409, and Printel holds one assignment. Checked twice: when Printel refuses the second (it counts the lot's
places too), and when Printel would accept both (its lot has one more place than the school's copy): then the
lock on the lot decides and the place Printel gave the loser is released. The same élève twice at once → one
file. Runs on SQLite and on PostgreSQL (real concurrent transactions there)."""

import asyncio

import pytest

from plugins.passerelle_examens.tables import AllocatedPlace, ExamFile
from tests.plugins.passerelle_examens.places_helpers import add_student


@pytest.mark.parametrize("who_counts", ["printel", "school"])
async def test_last_place_goes_to_exactly_one_eleve(printel_lot, client, who_counts) -> None:
    p = await printel_lot(places=2 if who_counts == "school" else 1)
    if who_counts == "school":  # Printel has 2 places on the lot, the school's copy 1: only the lock decides
        await AllocatedPlace.update({AllocatedPlace.places: 1}).where(AllocatedPlace.id == p.lot["id"])
    other = await add_student(client, p.s)
    path = p.s.api(f"/places/{p.lot['id']}/assignments")
    first, second = await asyncio.gather(
        client.post(path, headers=p.s.headers, json={"eleve": p.student["id"]}),
        client.post(path, headers=p.s.headers, json={"eleve": other["id"]}))
    assert sorted([first.status_code, second.status_code]) == [201, 409], (first.text, second.text)
    loser = first if first.status_code == 409 else second
    assert "plus de place libre" in loser.json()["detail"]
    assert await ExamFile.count().where(ExamFile.allocated_place == p.lot["id"]) == 1
    winner = (first if first.status_code == 201 else second).json()
    assert len(p.held()) == 1 and next(iter(p.held().values())) == winner["reference"]


async def test_same_eleve_twice_at_once_gives_one_file(printel_lot, client) -> None:
    p = await printel_lot(places=3)
    path = p.s.api(f"/places/{p.lot['id']}/assignments")
    answers = await asyncio.gather(*(client.post(path, headers=p.s.headers, json={"eleve": p.student["id"]})
                                     for _ in range(2)))
    assert sorted(a.status_code for a in answers) == [201, 422], [a.text for a in answers]
    assert await ExamFile.count().where(ExamFile.allocated_place == p.lot["id"]) == 1 and len(p.held()) == 1
