"""`socle demo` loads « Centre de formation Routes du Rhône »: formation_cqc activated by an order (the service
contract shown), agréments with an expired one not offered, past sessions billed on the statements, a manager
granted « Enregistrer des sessions » and one without (403), a driver with an account whose documents land in
« Mon espace » once the worker ran, and drivers without an account (the gold warning)."""

from core.testing.fixtures import deliver_outbox, login
from plugins.formation_cqc.tables import Registration, RegistrationLine


async def test_demo_training_centre(app, client, settings):
    from core.demo import DEMO_PASSWORD, load_training_centre

    logins = await load_training_centre(settings)
    assert ("Mon espace (conducteur)", "Conducteur", "conducteur@routes-du-rhone.example") in logins
    rows = await Registration.select().order_by(Registration.id)
    assert [r["profile"] for r in rows] == ["conducteur"] * 3 + ["moniteur"]
    assert [r["amount_cents"] for r in rows] == [3 * 2534, 3 * 2534, 2 * 507, 2534]
    office = rows[0]["office"]
    base = f"/offices/{office}/m/formation_cqc"

    await login(client, "gestion@routes-du-rhone.example", DEMO_PASSWORD)
    page = await client.get(base + "/sessions")
    assert page.status_code == 200 and "commande n° 1 du" in page.text
    assert "Formation longue" not in page.text.split("Formations proposées", 1)[1].split("</p>", 1)[0]
    cards = await client.get(base + "/cartes-cqc")
    assert cards.status_code == 200 and "Karim HADDAD" in cards.text and "8 quai Saint-Vincent" in cards.text
    client.cookies.clear()
    await login(client, "accueil@routes-du-rhone.example", DEMO_PASSWORD)
    assert (await client.get(base + "/sessions")).status_code == 403
    assert (await client.get(base + "/cartes-cqc")).status_code == 403

    await deliver_outbox(settings, app.state.jobs)
    claimed = await RegistrationLine.select().where(RegistrationLine.licence == "120369000123")
    assert len(claimed) == 2 and all(r["account"] is not None and r["certificate_document"] for r in claimed)
    assert await RegistrationLine.count().where(RegistrationLine.account.is_null()) == 7  # 6 drivers + the moniteur
    client.cookies.clear()
    await login(client, "conducteur@routes-du-rhone.example", DEMO_PASSWORD)
    docs = await client.get("/mon-espace/m/formation_cqc/documents")
    assert docs.text.count("/mon-espace/documents/") == 4
