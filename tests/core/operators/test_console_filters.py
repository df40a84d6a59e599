"""The console's filters by kind, status and module, the kind the operator sets, and the activity counters."""

from datetime import UTC, date, datetime, timedelta

from core.auth.tables import AuditEntry
from core.calendar.tables import Booking, Calendar
from core.documents.services import store
from core.jobs.tables import OutboxMessage
from core.operators import accounts, console, suspension
from core.testing.fixtures import csrf_token
from tests.core.operators.test_operators import _logged_operator


async def test_kind_is_set_shown_and_filtered_and_status_filter(client, make_org):
    tilleuls = await make_org("Auto-école des Tilleuls", "gerant@tilleuls.test")
    brive = await make_org("Mairie de Brive", "maire@brive.test")
    await _logged_operator(client)
    path = f"/operateur/organisations/{brive.organisation_id}"
    token = await csrf_token(client, path)
    bad = await client.post(path + "/type", data={"kind": "banque", "_csrf_token": token})
    assert bad.status_code == 422 and 'aria-describedby="kind-error"' in bad.text
    done = await client.post(path + "/type", follow_redirects=False, data={"kind": "mairie", "_csrf_token": token})
    assert done.status_code in (302, 303)
    assert "<dd>Mairie</dd>" in (await client.get(path)).text
    assert await AuditEntry.exists().where((AuditEntry.action == "organisation.kind_set")
                                           & (AuditEntry.organisation == brive.organisation_id))
    mairies = (await client.get("/operateur/", params={"kind": "mairie"})).text
    assert "Mairie de Brive" in mairies and "Auto-école des Tilleuls" not in mairies
    others = (await client.get("/operateur/", params={"kind": "autre"})).text
    assert "Auto-école des Tilleuls" in others and "Mairie de Brive" not in others

    operator = await accounts.Operator.objects().first()
    await suspension.suspend(operator, tilleuls.organisation_id, "impayé")
    suspended = (await client.get("/operateur/", params={"status": "suspended"})).text
    assert "Auto-école des Tilleuls" in suspended and "Mairie de Brive" not in suspended and "Suspendue ·" in suspended
    active = (await client.get("/operateur/", params={"status": "active", "kind": "mairie"})).text
    assert "Mairie de Brive" in active and "Auto-école des Tilleuls" not in active


async def test_activity_counters(client, make_org):
    org = await make_org("Auto-école des Tilleuls", "gerant@tilleuls.test")
    other = await make_org("Autre", "autre@socle.test")
    now = datetime.now(UTC)
    last_month = now.replace(day=1) - timedelta(days=2)
    agenda = Calendar(organisation=org.organisation_id, office=org.office_id, name="Accueil")
    await agenda.save()
    for created in (now, now, last_month):
        await Booking(organisation=org.organisation_id, office=org.office_id, calendar=agenda.id, start_ts=0,
                      end_ts=900, created_at=created).save()
    for kind, status, created, organisation in (("email", "sent", now, org), ("sms", "sent", now, org),
                                                ("email", "pending", now, org), ("email", "sent", last_month, org),
                                                ("webhook", "sent", now, org), ("email", "sent", now, other)):
        await OutboxMessage(kind=kind, idempotency_key=f"k-{kind}-{status}-{created}-{organisation.organisation_id}",
                            organisation=organisation.organisation_id, payload={}, status=status,
                            next_attempt_at=now, created_at=created).save()
    for size in (1500, 2500):
        await store(organisation_id=org.organisation_id, module="core", kind="test", title="Pièce",
                    filename="piece.pdf", content=b"x" * size, content_type="application/pdf",
                    keep_until=date.today() + timedelta(days=30))
    counters = await console.counters(org.organisation_id, now)
    assert (counters.bookings_this_month, counters.messages_this_month, counters.storage_bytes) == (2, 2, 4000)
    assert counters.storage_label == "3,9 Ko"
    await _logged_operator(client)
    page = (await client.get(f"/operateur/organisations/{org.organisation_id}")).text
    assert "Réservations prises ce mois-ci</dt><dd>2</dd>" in page and "3,9 Ko" in page
