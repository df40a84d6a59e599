"""« Supprimer les données du module » (plugin API 1.1, on_module_purge): the owner deletes the appointment
module's data for one office where it is no longer active, confirming with the office's name. Only that
office's rows go (the other office keeps everything), the agendas are freed, the action is audited; refused
while the module is active, with a wrong confirmation, below owner, and for another organisation's office."""

from core.auth.tables import AuditEntry
from core.calendar.tables import Booking, OpeningRule
from core.modules import activation
from core.testing.fixtures import api_token, csrf_token, login
from plugins.rdv_service_public.tables import Motif, Plage, Rdv
from tests.core.modules.helpers import add_office
from tests.plugins.rdv_service_public.test_booking import rdv


def purge_url(office_id: int) -> str:
    return f"/api/v1/offices/{office_id}/modules/rdv_service_public/purge"


async def test_purge_removes_only_that_offices_rows_and_frees_its_agendas(configured, client, add_member):
    t = configured["town"]
    org = t.org
    annexe = await add_office(client, t.headers, "Annexe")
    await activation.set_active(org.organisation_id, annexe, "rdv_service_public", True)
    other = await client.post(f"/api/v1/offices/{annexe}/m/rdv_service_public/services", headers=t.headers,
                              json={"name": "Urbanisme"})
    assert other.status_code == 201
    await t.make("/rdvs", rdv(configured))
    assert await Rdv.count() == 1 and await Booking.count().where(Booking.status == "confirmed") == 1

    active = await client.post(purge_url(org.office_id), headers=t.headers, json={"confirmation": "Bureau"})
    assert active.status_code == 409 and "encore actif" in active.json()["detail"]
    await activation.set_active(org.organisation_id, org.office_id, "rdv_service_public", False)
    wrong = await client.post(purge_url(org.office_id), headers=t.headers, json={"confirmation": "oui"})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "confirmation"
    _, email = await add_member(org, "admin")
    admin = await api_token(client, email)
    office_name = (await client.get(f"/api/v1/offices/{org.office_id}", headers=t.headers)).json()["name"]
    below = await client.post(purge_url(org.office_id), headers=admin, json={"confirmation": office_name})
    assert below.status_code == 403

    done = await client.post(purge_url(org.office_id), headers=t.headers, json={"confirmation": office_name})
    assert done.status_code == 201, done.text
    assert await Rdv.count() == 0 and await Motif.count().where(Motif.office == org.office_id) == 0
    assert await Plage.count() == 0 and await OpeningRule.select(OpeningRule.id) == []
    assert await Booking.count().where(Booking.status == "confirmed") == 0  # the agenda is free again
    services = await client.get(f"/api/v1/offices/{annexe}/m/rdv_service_public/services", headers=t.headers)
    assert [s["name"] for s in services.json()] == ["Urbanisme"]  # the other office keeps its data
    [entry] = await AuditEntry.select().where(AuditEntry.action == "module.purged")
    assert office_name in entry["summary"]


async def test_another_organisations_office_answers_404(configured, client, make_org):
    t = configured["town"]
    stranger = await make_org("Mairie voisine")
    headers = await api_token(client, stranger.owner_email)
    response = await client.post(purge_url(t.org.office_id), headers=headers, json={"confirmation": "x"})
    assert response.status_code == 404


async def test_owner_page_confirms_with_the_office_name(configured, client):
    t = configured["town"]
    org = t.org
    await activation.set_active(org.organisation_id, org.office_id, "rdv_service_public", False)
    await login(client, org.owner_email)
    installed = await client.get("/config/modules/installed")
    assert "/config/modules/rdv_service_public/purge" in installed.text
    page = await client.get("/config/modules/rdv_service_public/purge")
    assert page.status_code == 200 and 'label for="confirmation"' in page.text
    token = await csrf_token(client, "/config/modules/rdv_service_public/purge")
    wrong = await client.post("/config/modules/rdv_service_public/purge",
                              data={"_csrf_token": token, "office_id": str(org.office_id), "confirmation": "non"})
    assert wrong.status_code == 422 and 'aria-invalid="true"' in wrong.text and "Tapez exactement" in wrong.text
    assert await Motif.count() == 1
