"""Issue 13: an agent may record an appointment that already happened, after a warning. The form says the start
is in the past and books nothing until confirmed; the confirmation survives the outside-hours warning; the
booking is then recorded. Moving an appointment to a past start warns the same way."""

import re
from datetime import date, timedelta

from core.testing.fixtures import login, submit
from tests.plugins.rdv_service_public.test_pages import office_url

PAST = "commence dans le passé"


async def test_a_past_appointment_is_recorded_after_the_warning(configured, client):
    t = configured["town"]
    await login(client, t.org.owner_email)
    day = date.today() - timedelta(days=7)
    form = {"motif_id": configured["motif"]["id"], "member_id": configured["agent_id"],
            "starts_at": f"{day.isoformat()}T10:00", "citizen_name": "Paul Durand"}
    url = office_url(t, "/rdvs/new")
    first = await submit(client, url, url, form)
    assert first.status_code == 200 and PAST in first.text and 'id="in-the-past"' in first.text
    assert "Confirmer ce rendez-vous passé" in first.text and 'name="confirm_past" value="1"' in first.text
    listed = await t.call("GET", "/rdvs", params={"start": f"{day}T00:00:00", "end": f"{day}T23:59:00"})
    assert listed.json() == []
    second = await submit(client, url, url, {**form, "confirm_past": "1"})
    if second.status_code == 200:  # outside the plages too: the past confirmation is kept
        assert "en dehors des horaires" in second.text and 'name="confirm_past" value="1"' in second.text
        assert PAST not in second.text
        second = await submit(client, url, url, {**form, "confirm_past": "1", "confirm_outside_hours": "1"})
    assert second.status_code in (302, 303)
    [booked] = (await t.call("GET", "/rdvs", params={"start": f"{day}T00:00:00",
                                                     "end": f"{day}T23:59:00"})).json()
    assert booked["citizen_name"] == "Paul Durand"

    later = await t.make("/rdvs", {"motif_id": configured["motif"]["id"], "member_id": configured["agent_id"],
                                   "starts_at": f"{configured['monday']}T09:00:00", "citizen_name": "Léa"})
    page = await client.get(office_url(t, f"/rdvs/{later['id']}"))
    assert page.status_code == 200 and PAST not in page.text
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', page.text))
    moved = await submit(client, office_url(t, f"/rdvs/{later['id']}"), office_url(t, f"/rdvs/{later['id']}"),
                         {**{k: fields.get(k, "") for k in ("duration_minutes", "citizen_email", "citizen_phone")},
                          "motif_id": configured["motif"]["id"], "member_id": configured["agent_id"],
                          "starts_at": f"{(day - timedelta(days=1)).isoformat()}T10:00", "citizen_name": "Léa",
                          "status": "a_venir"})
    assert moved.status_code == 200 and PAST in moved.text
