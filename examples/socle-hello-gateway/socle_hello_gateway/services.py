"""Greetings of an office (no Litestar here)."""

from core.plugin_api import Actor, Office, ValidationFailed
from socle_hello_gateway.tables import Greeting


async def greetings(actor: Actor, office: Office) -> list[dict]:
    return await actor.scope.select(Greeting, Greeting.id, Greeting.message).where(
        Greeting.office == office.id).order_by(Greeting.id)


async def add_greeting(actor: Actor, office: Office, message: str) -> dict:
    message = (message or "").strip()
    if not message or len(message) > 200:
        raise ValidationFailed.on("message", "Le message doit contenir entre 1 et 200 caractères.")
    greeting = Greeting(organisation=actor.organisation_id, office=office.id, message=message)
    await greeting.save()
    return {"id": greeting.id, "message": message}


async def count(office_id: int) -> int:
    return await Greeting.count().where(Greeting.office == office_id)


async def purge(organisation_id: int, office_id: int) -> None:
    await Greeting.delete().where((Greeting.organisation == organisation_id) & (Greeting.office == office_id))
