"""A real RdvPermis simulator on a loopback port, served by uvicorn in a thread."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
import uvicorn

from core.testing.fixtures import api_token
from plugins.passerelle_examens.simulators import printel as printel_sim
from plugins.passerelle_examens.simulators.rdvpermis import State, answer_link, create_app
from tests.core.modules.helpers import order_modules


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """A Litestar app on a free loopback port, served by uvicorn in a thread; yields its base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(5)
        sock.close()


@pytest.fixture
def rdvpermis() -> Iterator[tuple[str, State]]:
    state = State()
    with serve(create_app(state)) as url:
        yield url, state


@pytest.fixture
def printel() -> Iterator[tuple[str, printel_sim.State]]:
    """The Printel simulator on a loopback port."""
    state = printel_sim.State()
    with serve(printel_sim.create_app(state)) as url:
        yield url, state


@pytest.fixture
def socle_plugin() -> str:
    return "passerelle_examens"


STUDENT = {"civilite": "madame", "nom": "Durand", "prenoms": "Léa Marie", "date_naissance": "2005-03-14",
           "courriel": "lea.durand@exemple.fr", "telephone": "06 12 34 56 78", "neph": "1234 5678 9012",
           "categorie": "B"}


@dataclass
class School:
    org: Any
    headers: dict[str, str]
    client: Any

    def page(self, path: str) -> str:
        return f"/offices/{self.org.office_id}/m/passerelle_examens{path}"

    def api(self, path: str) -> str:
        return f"/api/v1/offices/{self.org.office_id}/m/passerelle_examens{path}"


@pytest.fixture
def school(client, make_org):
    async def build(name: str = "Auto-école du Centre") -> School:
        org = await make_org(name)
        headers = await api_token(client, org.owner_email)
        await order_modules(client, headers, (org.office_id, "passerelle_examens", "activate"))
        return School(org, headers, client)

    return build


async def confirm_mandate(client: Any, s: School, student_id: int) -> None:
    """The school asks the élève's mandate, the élève accepts it through the simulator's link (the page, then
    « Accepter le mandat »), the school reads it back: « Mandat confirmé », as booking requires."""
    asked = await client.post(s.api(f"/students/{student_id}/mandate"), headers=s.headers)
    assert asked.status_code == 201 and asked.json()["etat"] == "requested", asked.text
    assert "Vous avez accepté le mandat." in await answer_link(asked.json()["lien_eleve"], "accepter")
    read = await client.get(s.api(f"/students/{student_id}/mandate"), headers=s.headers)
    assert read.status_code == 200 and read.json()["etat"] == "confirmed", read.text


@dataclass
class Ready:
    """A school whose settings point at the simulator, with one favourite centre (69, voiture) and one élève
    (whose mandate is confirmed unless asked otherwise)."""

    s: School
    url: str
    state: Any
    centre: dict[str, str]
    student: dict[str, Any]


@pytest.fixture
def ready(school, client, rdvpermis):
    async def build(name: str = "Auto-école du Centre", student: dict[str, Any] | None = None, *,
                    mandate: bool = True) -> Ready:
        from plugins.passerelle_examens.simulators.rdvpermis import centres_of

        url, state = rdvpermis
        s = await school(name)
        saved = await client.put(s.api("/settings"), headers=s.headers,
                                 json={"base_url": url, "client_id": "ae", "client_secret": "secret-ae"})
        assert saved.status_code == 200, saved.text
        centre = centres_of("69", "voiture")[0]
        fav = await client.post(s.api("/favourites"), headers=s.headers,
                                json={"centre_id": centre["id"], "departement": "69", "type": "voiture"})
        assert fav.status_code == 201, fav.text
        made = await client.post(s.api("/students"), headers=s.headers, json=student or STUDENT)
        assert made.status_code == 201, made.text
        if mandate:
            await confirm_mandate(client, s, made.json()["id"])
        return Ready(s, url, state, centre, made.json())

    return build


from tests.plugins.passerelle_examens.places_helpers import printel_lot  # noqa: E402,F401  (fixture)
