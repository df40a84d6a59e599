"""The agents' planning is a time grid: an appointment sits in its day's column (week) or its agent's column
(day view without an agent) at its start with a height for its duration; plages are shaded openings,
absences greyed with their label; the agent filter leaves one column; free slots link to the prefilled form."""

import re
from datetime import timedelta
from html.parser import HTMLParser

from core.testing.fixtures import login


def office_url(t, path):
    return f"/offices/{t.org.office_id}/m/rdv_service_public{path}"


class Grid(HTMLParser):
    """Columns (data-column → heading) and the grid's blocks: dicts of attributes plus column and text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.columns: dict[str, str] = {}
        self.blocks: list[dict[str, str]] = []
        self._column = self._heading = None
        self._open: dict[str, str] | None = None
        self._depth = 0
        self._in_style = False
        self.css = ""
        self.feed(html)

    def style_of(self, block: dict[str, str]) -> str:
        """The declarations placing a block: a rule of the page's nonce'd <style> (no style attributes)."""
        match = re.search(r"#" + re.escape(block["id"]) + r" \{ ([^}]*) \}", self.css)
        return match.group(1) if match else ""

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        assert "style" not in a, f"style attribute on <{tag}>: refused by the Content-Security-Policy"
        self._in_style = tag == "style"
        classes = a.get("class", "").split()
        if tag == "section" and "rdv-grid-col" in classes:
            self._column = a["data-column"]
        elif tag == "h2" and self._column:
            self._heading = self._column
            self.columns[self._column] = ""
        elif self._open is not None:
            self._depth += 1
        elif self._column and (tag == "a" or "bg" in classes):
            self._open = {**a, "column": self._column, "text": ""}
            self._depth = 0

    def handle_endtag(self, tag):
        if tag == "h2":
            self._heading = None
        elif tag == "section":
            self._column = None
        elif self._open is not None:
            if self._depth == 0:
                self._open["text"] = " ".join(self._open["text"].split())
                self.blocks.append(self._open)
                self._open = None
            else:
                self._depth -= 1

    def handle_data(self, data):
        if self._in_style:
            self.css += data
            self._in_style = False
        if self._heading:
            self.columns[self._heading] += data.strip()
        if self._open is not None:
            self._open["text"] += data

    def of(self, kind: str) -> list[dict[str, str]]:
        return [b for b in self.blocks if kind in b.get("class", "").split()]


async def _grid(client, t, **params) -> Grid:
    page = await client.get(office_url(t, "/planning"), params={k: str(v) for k, v in params.items()})
    assert page.status_code == 200, page.text
    return Grid(page.text)


async def test_week_view_places_an_appointment_in_its_day_at_its_time(configured, client):
    t, monday = configured["town"], configured["monday"]
    booked = await t.make("/rdvs", {"motif_id": configured["motif"]["id"], "member_id": configured["agent_id"],
                                    "starts_at": f"{monday}T10:00:00", "citizen_name": "Léa Martin"})
    await login(client, t.org.owner_email)
    grid = await _grid(client, t, date=monday + timedelta(days=2))
    # Monday to Friday: the weekend has nothing on it, so it is left out
    assert list(grid.columns) == [(monday + timedelta(days=i)).isoformat() for i in range(5)]
    assert grid.columns[monday.isoformat()] == f"Lundi {monday:%d/%m}"
    [rdv] = grid.of("rdv")
    assert rdv["column"] == monday.isoformat()
    assert rdv["href"].endswith(f"/rdvs/{booked['id']}")
    assert rdv["text"].startswith("10:00 Léa Martin") and "Carte d'identité" in rdv["text"]
    assert "À venir" in rdv["text"] and "10:00–10:30" in rdv["title"]
    # the agent's plage 09:00–12:00 sets the visible hours: 10:00 is a third down, 30 minutes a sixth high
    assert (rdv["data-start"], rdv["data-end"], rdv["data-top"], rdv["data-height"]) == (
        "10:00", "10:30", "33.333", "16.667")
    assert "top:33.333%;height:16.667%" in grid.style_of(rdv) and "--c:#1f6feb" in grid.style_of(rdv)


async def test_openings_and_an_absence_are_drawn_with_their_label(configured, client):
    t, monday, agent = configured["town"], configured["monday"], configured["agent_id"]
    await t.make("/absences", {"member_id": agent, "starts_at": f"{monday}T10:30:00",
                               "ends_at": f"{monday}T11:30:00", "label": "Formation"})
    await login(client, t.org.owner_email)
    grid = await _grid(client, t, date=monday, member_id=agent)
    [opening] = grid.of("opening")
    assert (opening["column"], opening["data-start"], opening["data-end"]) == (monday.isoformat(), "09:00", "12:00")
    assert opening["text"] == "Ouvert 09:00–12:00"
    [closed] = grid.of("closed")
    assert (closed["column"], closed["data-start"], closed["data-end"]) == (monday.isoformat(), "10:30", "11:30")
    assert closed["text"] == "Formation" and "top:50.0%;height:33.333%" in grid.style_of(closed)
    tuesday = await _grid(client, t, date=monday + timedelta(days=1), view="day", member_id=agent)
    assert tuesday.of("opening") == [] and tuesday.of("closed") == []


async def test_day_view_has_a_column_per_agenda_and_the_agent_filter_keeps_one(configured, client, add_member):
    t, monday, agent = configured["town"], configured["monday"], configured["agent_id"]
    other, _ = await add_member(t.org, "basic", email="marc@example.org")
    await t.make("/plages", {"member_id": other, "weekdays": [0], "first_day": monday.isoformat(),
                             "start_time": "14:00", "end_time": "17:00", "lieu_id": configured["lieu"]["id"]})
    for member, at, name in ((agent, "09:30", "Léa"), (other, "15:00", "Marc")):
        await t.make("/rdvs", {"motif_id": configured["motif"]["id"], "member_id": member,
                               "starts_at": f"{monday}T{at}:00", "citizen_name": name})
    await login(client, t.org.owner_email)
    grid = await _grid(client, t, date=monday, view="day")
    assert list(grid.columns) == [f"{agent}:", f"{other}:"]
    names = {a["id"]: a["display_name"] for a in (await t.call("GET", "/agents")).json()}
    assert list(grid.columns.values()) == [names[agent], names[other]]
    assert {(b["column"], b["data-start"]) for b in grid.of("rdv")} == {(f"{agent}:", "09:30"),
                                                                         (f"{other}:", "15:00")}
    assert {(b["column"], b["data-start"], b["data-end"]) for b in grid.of("opening")} == {
        (f"{agent}:", "09:00", "12:00"), (f"{other}:", "14:00", "17:00")}
    filtered = await _grid(client, t, date=monday, view="day", member_id=other)
    assert list(filtered.columns) == [monday.isoformat()]
    assert [(b["text"][:10], b["data-top"]) for b in filtered.of("rdv")] == [("15:00 Marc", "33.333")]


async def test_free_slots_link_to_the_prefilled_form(configured, client):
    t, monday, agent = configured["town"], configured["monday"], configured["agent_id"]
    await login(client, t.org.owner_email)
    grid = await _grid(client, t, date=monday, view="day", motif_id=configured["motif"]["id"])
    slots = grid.of("slot")
    assert [s["data-start"] for s in slots] == [f"{9 + i // 2:02d}:{i % 2 * 30:02d}" for i in range(6)]
    assert all(s["column"] == f"{agent}:" for s in slots)
    first = slots[0]
    assert first["href"].endswith(f"/rdvs/new?motif_id={configured['motif']['id']}&starts_at={monday}T09:00"
                                  f"&member_id={agent}&lieu_id={configured['lieu']['id']}")
    assert first["text"] == "Libre 09:00" and first["data-top"] == "0.0"
    form = await client.get(first["href"])
    assert form.status_code == 200 and f'value="{monday}T09:00"' in form.text


async def test_office_closures_grey_every_column_with_their_reason(configured, client):
    t, monday, agent = configured["town"], configured["monday"], configured["agent_id"]
    wednesday = monday + timedelta(days=2)
    response = await client.post(f"/api/v1/offices/{t.org.office_id}/calendars/closures", headers=t.headers, json={
        "first_date": wednesday.isoformat(), "reason": "Fermeture exceptionnelle"})
    assert response.status_code == 201, response.text
    await t.make("/rdvs", {"motif_id": configured["motif"]["id"], "member_id": agent,
                           "starts_at": f"{monday}T11:00:00", "citizen_name": "Léa"})
    await login(client, t.org.owner_email)
    grid = await _grid(client, t, date=monday)
    [closed] = grid.of("closed")
    assert (closed["column"], closed["text"]) == (wednesday.isoformat(), "Fermeture exceptionnelle")
    assert (closed["data-start"], closed["data-end"]) == ("09:00", "12:00")  # the whole day, clipped to the hours
    names = {a["id"]: a["display_name"] for a in (await t.call("GET", "/agents")).json()}
    [rdv] = grid.of("rdv")
    assert rdv["text"].endswith(names[agent])  # several agendas share the week's columns: the agent is named
    by_agenda = await _grid(client, t, date=wednesday, view="day", member_id=agent)
    assert [(b["column"], b["text"]) for b in by_agenda.of("closed")] == [(wednesday.isoformat(),
                                                                          "Fermeture exceptionnelle")]


async def test_shared_week_shows_absences_with_the_agents_name_and_motif_filter_keeps_openings(configured, client):
    """Issue 12: without an agent filter the week view lists each absence (named) and, filtered by a motif the
    agent's plage serves, keeps the opening-hours shading next to the free slots."""
    t, monday, agent = configured["town"], configured["monday"], configured["agent_id"]
    await t.make("/absences", {"member_id": agent, "starts_at": f"{monday}T10:30:00",
                               "ends_at": f"{monday}T11:30:00", "label": "Formation"})
    await login(client, t.org.owner_email)
    names = {a["id"]: a["display_name"] for a in (await t.call("GET", "/agents")).json()}
    week = await _grid(client, t, date=monday)
    [closed] = week.of("closed")
    assert (closed["column"], closed["data-start"], closed["data-end"]) == (monday.isoformat(), "10:30", "11:30")
    assert closed["text"] == f"Formation · {names[agent]}"
    by_motif = await _grid(client, t, date=monday, motif_id=configured["motif"]["id"])
    assert [(o["column"], o["data-start"]) for o in by_motif.of("opening")] == [(monday.isoformat(), "09:00")]
    assert by_motif.of("slot") and by_motif.of("closed")
