"""Who may do what, over HTTP: a basic member (agent) searches, books and cancels; only an admin reads or
changes the provider settings (403 for the agent); an office the member does not belong to, another office's
exam and another organisation's anything → 404 (the repo's rule: never reveal what exists elsewhere)."""

from core.testing.fixtures import api_token, login
from tests.core.modules.helpers import add_office, order_modules
from tests.plugins.passerelle_examens.test_booking import body, slot_between

SETTINGS = {"client_id": "ae", "client_secret": "secret-ae"}


async def test_role_matrix(ready, client, add_member, school) -> None:
    r = await ready()
    s = r.s
    _, agent_email = await add_member(s.org, "basic")
    _, admin_email = await add_member(s.org, "admin")
    agent, admin = await api_token(client, agent_email), await api_token(client, admin_email)
    slot = slot_between(r, 10, 60)

    assert (await client.get(s.api("/sessions?type=voiture&semaine=" + slot["day"]), headers=agent)).status_code == 200
    booked = await client.post(s.api("/exams"), headers=agent, json=body(r, slot))
    assert booked.status_code == 201, booked.text
    exam_id = booked.json()["id"]
    assert (await client.get(s.api("/exams"), headers=agent)).status_code == 200
    assert (await client.get(s.api("/settings"), headers=agent)).status_code == 403
    assert (await client.put(s.api("/settings"), headers=agent, json=SETTINGS)).status_code == 403
    assert (await client.get(s.api("/settings"), headers=admin)).status_code == 200
    shown = await client.put(s.api("/settings"), headers=admin, json={**SETTINGS, "base_url": r.url})
    assert shown.status_code == 200 and "secret-ae" not in shown.text  # the secret is never shown back

    other_office = await add_office(client, s.headers, "Annexe")
    await order_modules(client, s.headers, (other_office, "passerelle_examens", "activate"))
    annex = f"/api/v1/offices/{other_office}/m/passerelle_examens"
    assert (await client.get(f"{annex}/exams/{exam_id}", headers=s.headers)).status_code == 404
    assert (await client.post(f"{annex}/exams/{exam_id}/cancel", headers=s.headers)).status_code == 404
    assert (await client.get(f"{annex}/exams", headers=agent)).status_code == 404  # not the agent's office

    stranger = await school("Auto-école Voltaire")
    theirs = f"/api/v1/offices/{stranger.org.office_id}/m/passerelle_examens"
    assert (await client.get(f"{theirs}/exams/{exam_id}", headers=stranger.headers)).status_code == 404
    assert (await client.post(f"{theirs}/exams/{exam_id}/cancel", headers=stranger.headers)).status_code == 404
    for path in ("/exams", f"/exams/{exam_id}", "/sessions?type=voiture&semaine=" + slot["day"]):
        assert (await client.get(s.api(path), headers=stranger.headers)).status_code == 404, path
    assert (await client.post(s.api(f"/exams/{exam_id}/cancel"), headers=stranger.headers)).status_code == 404

    await login(client, agent_email)
    assert (await client.get(s.page("/sessions"))).status_code == 200
    assert (await client.get(s.page(f"/examens/{exam_id}/annuler"))).status_code == 200
    assert (await client.get(s.page(f"/examens/{exam_id + 1000}/annuler"))).status_code == 404
    cancelled = await client.post(s.api(f"/exams/{exam_id}/cancel"), headers=agent)
    assert cancelled.status_code == 200 and cancelled.json()["statut"] == "annule"
