"""A school whose Printel settings point at the simulator, with one lot captured (chosen number of places,
day and type) and élèves; shared by the places tests (HTTP, concurrency, browser)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from tests.plugins.passerelle_examens.conftest import STUDENT

LOGIN = "tilleuls"
OTHER = {**STUDENT, "nom": "Martin", "prenoms": "Hugo", "neph": "111122223333", "courriel": ""}


@dataclass
class Lot:
    s: Any
    url: str
    state: Any
    lot: dict[str, Any]
    student: dict[str, Any]

    @property
    def numero(self) -> str:
        return str(self.lot["numero"])

    def held(self) -> dict[str, str]:
        """What Printel holds for the lot: NEPH → assignment id."""
        return self.state.assigned.get(f"{LOGIN}|{self.numero}", {})


def lot_row(numero: str = "PTT0001", days: int = 20, places: int = 2, exam_type: str = "voiture",
            heure: str = "", lieu: str = "Centre d'examen de Bron") -> dict[str, Any]:
    """A Printel lot; `heure` left out (as Printel may) unless given."""
    day = (dt.date.today() + dt.timedelta(days=days)).isoformat()
    row: dict[str, Any] = {"numero": numero, "cle": f"CLE{numero[-4:]}", "lieu": lieu, "date": day,
                           "nombre_places": places}
    if heure:
        row["heure"] = heure
    return {**row, "type": exam_type} if exam_type else row


@pytest.fixture
def printel_lot(school, client, printel):
    async def build(name: str = "Auto-école des Tilleuls", **lot: Any) -> Lot:
        url, state = printel
        s = await school(name)
        credentials = {"printel_url": url, "printel_login": LOGIN, "printel_password": f"printel-{LOGIN}"}
        saved = await client.put(s.api("/settings"), headers=s.headers, json=credentials)
        assert saved.status_code == 200, saved.text
        row = lot_row(**lot)
        state.extra[LOGIN] = [row]
        captured = await client.post(s.api("/places/capture"), headers=s.headers)
        assert captured.status_code == 200, captured.text
        [found] = [p for p in captured.json()["places"] if p["numero"] == row["numero"]]
        made = await client.post(s.api("/students"), headers=s.headers, json=STUDENT)
        assert made.status_code == 201, made.text
        return Lot(s, url, state, found, made.json())

    return build


async def add_student(client: Any, s: Any, **values: Any) -> dict[str, Any]:
    made = await client.post(s.api("/students"), headers=s.headers, json={**OTHER, **values})
    assert made.status_code == 201, made.text
    return made.json()
