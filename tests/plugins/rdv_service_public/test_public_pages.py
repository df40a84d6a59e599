"""The citizen pages as HTML: slots a week at a time (nearest first, « semaine suivante / précédente » up
to the motif's maximum delay), the chosen place recalled with a way back, errors next to their field
(aria-invalid, aria-describedby) with what was typed kept, the citizen 404 page, no double slash."""

import re
from datetime import date, datetime, timedelta

from core.testing.fixtures import csrf_token
from tests.plugins.rdv_service_public.test_public import DAY, online, public_url  # noqa: F401

WEEK_TITLE = re.compile(r'<h2 id="week-title">Semaine du (\d\d)/(\d\d) au (\d\d)/(\d\d)/(\d{4})</h2>')


def _link(html: str, element_id: str) -> str | None:
    found = re.search(rf'<a href="([^"]+)"[^>]* id="{element_id}"', html)
    return found.group(1).replace("&amp;", "&") if found else None


async def test_slots_a_week_at_a_time_nearest_first(online, client):  # noqa: F811
    t, motif = online["town"], online["online_motif"]
    await t.call("PUT", f"/motifs/{motif['id']}", json={"max_delay_minutes": 60 * DAY})
    lieu = online["lieu"]["id"]
    first = await client.get(public_url(t, f"/motifs/{motif['id']}/creneaux?lieu_id={lieu}"))
    assert first.status_code == 200
    day, month, *_ = WEEK_TITLE.search(first.text).groups()
    days = [datetime.fromisoformat(s["starts_at"]).astimezone(online_tz()).date()
            for s in (await client.get(public_url(t, f"/api/motifs/{motif['id']}/slots"))).json()]
    nearest_day = days[0]
    assert (int(day), int(month)) == (nearest_day.day, nearest_day.month)  # the week starts at the nearest slot
    week = [d for d in days if d < nearest_day + timedelta(days=7)]
    assert days.count(nearest_day + timedelta(days=1)) == 20  # 08:00-18:00 every day, 30 min
    assert len(re.findall(r'class="slot"', first.text)) == len(week)  # the first day may start mid-day
    assert _link(first.text, "previous-week") is None
    pages, url = 1, _link(first.text, "next-week")
    assert url and f"lieu_id={lieu}" in url
    last = first
    while url:
        last = await client.get(url)
        pages, url = pages + 1, _link(last.text, "next-week")
    assert 8 <= pages <= 10  # 60 days ahead, a week per page, no further
    assert _link(last.text, "previous-week")
    too_far = (date.today() + timedelta(days=90)).isoformat()
    clamped = await client.get(public_url(t, f"/motifs/{motif['id']}/creneaux?start={too_far}"))
    assert clamped.status_code == 200 and _link(clamped.text, "next-week") is None


def online_tz():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Europe/Paris")


async def test_steps_3_and_4_recall_the_place_and_offer_a_way_back(online, client):  # noqa: F811
    t, motif, lieu = online["town"], online["online_motif"], online["lieu"]
    slots = await client.get(public_url(t, f"/motifs/{motif['id']}/creneaux?lieu_id={lieu['id']}"))
    assert re.search(r'id="chosen-place">Lieu : <strong>Mairie</strong>', slots.text)
    assert f'href="{public_url(t)}/motifs/{motif["id"]}" id="back"' in slots.text
    href = re.search(r'<a class="slot" href="([^"]+)"', slots.text).group(1).replace("&amp;", "&")
    step4 = await client.get(href)
    assert "1 place de la Mairie" in step4.text and "Mairie" in step4.text
    back = _link(step4.text, "back")
    assert back.startswith(f"{public_url(t)}/motifs/{motif['id']}/creneaux?start=") and f"lieu_id={lieu['id']}" in back
    assert (await client.get(back)).status_code == 200


async def test_identity_errors_sit_next_to_their_fields_and_keep_what_was_typed(online, client):  # noqa: F811
    t, motif = online["town"], online["online_motif"]
    slot = (await client.get(public_url(t, f"/api/motifs/{motif['id']}/slots"))).json()[0]
    local = datetime.fromisoformat(slot["starts_at"]).astimezone(online_tz()).strftime("%Y-%m-%dT%H:%M")
    path = public_url(t, f"/motifs/{motif['id']}/reserver")
    token = await csrf_token(client, f"{path}?starts_at={local}")
    page = await client.post(path, data={"_csrf_token": token, "starts_at": local, "lieu_id": str(slot["lieu_id"]),
                                         "citizen_name": "Camille Petit", "citizen_email": "",
                                         "citizen_phone": "06 12"})
    assert page.status_code == 422
    html = page.text
    assert html.count("L&#39;adresse e-mail est obligatoire.") == 1 and "Adresse e-mail invalide" not in html
    assert re.search(r'id="citizen_email"[^>]*aria-invalid="true"[^>]*aria-describedby="citizen_email-error', html)
    assert re.search(r'id="citizen_phone"[^>]*type="tel"[^>]*autocomplete="tel"[^>]*value="06 12"', html)
    assert re.search(r'id="citizen_name"[^>]*value="Camille Petit"', html)
    assert 'aria-invalid' not in re.search(r'<input id="citizen_name"[^>]*>', html).group(0)
    assert 'id="citizen_phone-error"' in html and '<a class="skip-link" href="#contenu">' in html


async def test_citizen_404_leads_back_to_the_public_home_not_the_staff_login(online, client):  # noqa: F811
    t = online["town"]
    page = await client.get(public_url(t, "/motifs/99999"))
    assert page.status_code == 404
    assert "tableau de bord" not in page.text and f'href="{public_url(t)}/"' in page.text
    staff = await client.get("/nulle-part")
    assert "Retour au tableau de bord" in staff.text


async def test_no_double_slash_in_links(online, client):  # noqa: F811
    from core.testing.fixtures import login

    t = online["town"]
    for path in ("/", f"/motifs/{online['online_motif']['id']}/creneaux"):
        assert "//" not in re.sub(r"https?://", "", " ".join(re.findall(r'href="([^"]+)"',
                                                                        (await client.get(public_url(t, path))).text)))
    await login(client, t.org.owner_email)
    base = f"/offices/{t.org.office_id}/m/rdv_service_public"
    for path in ("/planning", "/agenda", "/config", "/rdvs/new"):
        page = await client.get(base + path)
        assert page.status_code == 200, path
        links = re.findall(r'(?:href|action)="([^"]+)"', page.text)
        assert not [link for link in links if "//" in re.sub(r"^https?://", "", link)], path
