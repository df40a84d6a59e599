"""A message whose organisation is gone is never sent: the outbox rows of an organisation are deleted with
it (ON DELETE CASCADE), emails, SMS, webhook deliveries and jobs alike."""

from core import db, jobs, notify
from core.jobs.tables import OutboxMessage
from core.tenancy.tables import Organisation
from core.testing.fixtures import deliver_outbox, sent_mails


async def test_messages_of_a_deleted_organisation_are_dropped(client, make_org, settings):
    gone, kept = await make_org("Mairie dissoute"), await make_org("Mairie voisine")
    async with db.write_transaction():
        for org in (gone, kept):
            await notify.enqueue_email(f"usager-{org.organisation_id}@example.org", "Votre rendez-vous",
                                       text="Bonjour", organisation_id=org.organisation_id)
            await notify.enqueue_sms("06 12 34 56 78", "Rappel", organisation_id=org.organisation_id)
            await jobs.schedule("inconnue", {"x": 1}, organisation_id=org.organisation_id)
    await Organisation.delete().where(Organisation.id == gone.organisation_id)
    assert await OutboxMessage.count().where(OutboxMessage.organisation == gone.organisation_id) == 0
    await deliver_outbox(settings)
    assert [m["To"] for m in sent_mails(settings)] == [f"usager-{kept.organisation_id}@example.org"]
