"""Agent pages show only what the viewer may act on (another service's agenda is read-only, the
appointment form offers only the agents and motifs they may book); refused forms keep what was typed,
say each error once next to its field, in correct French."""

import re

import pytest

from core.testing.fixtures import login, submit
from tests.plugins.rdv_service_public.test_pages import office_url


@pytest.fixture
async def two_services(configured, add_member):
    """A second service (Urbanisme) with its own basic agent, motif and plage."""
    t = configured["town"]
    other = await t.make("/services", {"name": "Urbanisme"})
    motif = await t.make("/motifs", {"name": "Permis de construire", "service_id": other["id"]})
    agent_id, _ = await add_member(t.org, "basic", email="urba@example.org")
    await t.call("PUT", f"/agents/{agent_id}/services", json={"service_ids": [other["id"]]})
    await t.make("/plages", {"member_id": agent_id, "weekdays": [2], "first_day": configured["monday"].isoformat(),
                             "start_time": "14:00", "end_time": "16:00", "lieu_id": configured["lieu"]["id"],
                             "motif_ids": [motif["id"]]})
    return {**configured, "other_agent": agent_id, "other_motif": motif}


async def _basic(client, configured):
    from core.tenancy.tables import Member

    row = await Member.select(Member.user.email.as_alias("email")).where(Member.id == configured["agent_id"]).first()
    await login(client, row["email"])


async def test_basic_agent_sees_another_services_agenda_read_only(two_services, client):
    t = two_services["town"]
    await _basic(client, two_services)
    other = await client.get(office_url(t, f"/agenda?member_id={two_services['other_agent']}"))
    assert other.status_code == 200 and "14:00 – 16:00" in other.text
    assert "Supprimer" not in other.text and 'id="plage-form"' not in other.text
    assert 'id="absence-form"' not in other.text and 'id="read-only"' in other.text
    assert "Permis de construire" in other.text and "Mairie" in other.text  # the plage's motifs and place
    own = await client.get(office_url(t, f"/agenda?member_id={two_services['agent_id']}"))
    assert 'id="plage-form"' in own.text and "Supprimer" in own.text and 'id="read-only"' not in own.text


async def test_new_appointment_form_offers_only_what_the_agent_may_book(two_services, client):
    t = two_services["town"]
    await _basic(client, two_services)
    form = (await client.get(office_url(t, "/rdvs/new"))).text
    agents = re.search(r'<select id="member_id".*?</select>', form, re.S).group(0)
    motifs = re.search(r'<select id="motif_id".*?</select>', form, re.S).group(0)
    assert f'value="{two_services["other_agent"]}"' not in agents and f'value="{two_services["agent_id"]}"' in agents
    assert "Permis de construire" not in motifs and "Carte d&#39;identité" in motifs
    client.cookies.clear()
    await login(client, t.org.owner_email)  # admins are offered everything
    form = (await client.get(office_url(t, "/rdvs/new"))).text
    assert "Permis de construire" in form and f'value="{two_services["other_agent"]}"' in form


async def test_refused_plage_keeps_the_typed_times_and_says_each_error_once(configured, client):
    t = configured["town"]
    await login(client, t.org.owner_email)
    url = office_url(t, f"/agenda?member_id={configured['agent_id']}")
    response = await submit(client, url, office_url(t, "/agenda/plages"), {
        "member_id": configured["agent_id"], "weekdays": ["1"], "first_day": "pas-une-date",
        "start_time": "14:15", "end_time": "17:45", "every_weeks": "9"})
    assert response.status_code == 422
    html = response.text
    assert 'value="14:15"' in html and 'value="17:45"' in html and 'value="9"' in html
    assert re.search(r'name="weekdays" value="1"\s+checked', html)
    for message in ("La récurrence (semaines) doit être comprise entre 1 et 4.",
                    "Le premier jour doit être une date (AAAA-MM-JJ)."):
        assert html.count(message) == 1, message


async def test_refused_absence_says_its_error_once_and_keeps_the_label(configured, client):
    t = configured["town"]
    await login(client, t.org.owner_email)
    url = office_url(t, f"/agenda?member_id={configured['agent_id']}")
    response = await submit(client, url, office_url(t, "/agenda/absences"), {
        "member_id": configured["agent_id"], "starts_at": "2030-01-10T14:00", "ends_at": "2030-01-10T10:00",
        "label": "Formation"})
    assert response.status_code == 422
    assert response.text.count("La fin doit suivre le début.") == 1
    assert 'value="Formation"' in response.text and 'value="2030-01-10T14:00"' in response.text


@pytest.mark.nodb
@pytest.mark.parametrize(("label", "expected"), [
    ("La durée par défaut (minutes)", "La durée par défaut (minutes) doit être comprise entre 5 et 480."),
    ("Le nombre maximum de participants", "Le nombre maximum de participants doit être compris entre 5 et 480."),
    ("Les délais", "Les délais doivent être compris entre 5 et 480."),
    ("La capacité", "La capacité doit être comprise entre 5 et 480."),
])
def test_range_messages_agree(label, expected):
    from plugins.rdv_service_public.services.common import Checks

    checks = Checks()
    checks.integer("x", 1000, label, 5, 480)
    assert checks.errors[0].message == expected


@pytest.mark.nodb
def test_date_and_time_take_a_plural_verb_and_empty_email_is_required():
    from zoneinfo import ZoneInfo

    from plugins.rdv_service_public.services.common import Checks

    checks = Checks()
    checks.moment("starts_at", "demain", "La date et l'heure", ZoneInfo("Europe/Paris"))
    checks.email("citizen_email", "", required=True)
    checks.email("other", "pas-un-email")
    assert [e.message for e in checks.errors] == [
        "La date et l'heure doivent être une date et une heure (AAAA-MM-JJTHH:MM).",
        "L'adresse e-mail est obligatoire.", "Adresse e-mail invalide."]


async def test_motif_delays_are_chosen_with_a_unit(configured, client):
    t = configured["town"]
    await login(client, t.org.owner_email)
    form = await client.get(office_url(t, "/config/motifs/new"))
    assert re.search(r'name="max_delay_value"[^>]*value="60"', form.text)  # 86 400 minutes shown as 60 jours
    assert re.search(r'<option value="jours" selected>', form.text)
    created = await submit(client, office_url(t, "/config/motifs/new"), office_url(t, "/config/motifs/new"), {
        "name": "Mariage", "service_id": configured["service"]["id"], "duration_minutes": "45",
        "modality": "sur_place", "color": "#123456", "min_delay_value": "2", "min_delay_unit": "heures",
        "max_delay_value": "3", "max_delay_unit": "jours"})
    assert created.status_code in (302, 303)
    motif = next(m for m in (await t.call("GET", "/motifs")).json() if m["name"] == "Mariage")
    assert (motif["min_delay_minutes"], motif["max_delay_minutes"]) == (120, 3 * 24 * 60)
    page = await client.get(office_url(t, f"/config/motifs/{motif['id']}"))
    assert re.search(r'name="min_delay_value"[^>]*value="2"', page.text)


async def test_empty_planning_says_why(town, client, configured):
    t = configured["town"]
    await login(client, t.org.owner_email)
    page = await client.get(office_url(t, f"/planning?view=week&date={configured['monday'].isoformat()}"))
    assert 'id="no-opening"' not in page.text  # the agent's Monday plage shows
    other = await town("Mairie de Test Vide")
    client.cookies.clear()
    await login(client, other.org.owner_email)
    empty = await client.get(office_url(other, "/planning"))
    assert empty.status_code == 200 and 'id="no-opening"' in empty.text
    assert "Créez d'abord un motif" in empty.text and office_url(other, "/agenda") in empty.text
