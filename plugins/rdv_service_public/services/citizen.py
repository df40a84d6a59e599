"""A signed-in citizen's appointments (« Mes rendez-vous »): those booked with their verified email.
Cancel as the motif allows, export, and erasure (upcoming ones cancelled, every one anonymised)."""

from __future__ import annotations

from typing import Any

from core.plugin_api import Account, NotFound, Platform, data
from plugins.rdv_service_public.services import notices, places, public
from plugins.rdv_service_public.services.booking import STATUSES
from plugins.rdv_service_public.services.common import Ctx
from plugins.rdv_service_public.tables import Lieu, Motif, Rdv

ANONYMOUS = "Anonyme"


def _mine(account: Account) -> Any:
    """The condition linking an appointment to the person: their email, once they proved it."""
    if not account.email_verified or not account.email:
        return Rdv.id == -1
    return Rdv.citizen_email == account.email


async def appointments(account: Account) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(upcoming, past) appointments of the person, each with what « Mes rendez-vous » shows."""
    rows = await Rdv.objects().where(_mine(account)).order_by(Rdv.starts_at)
    motifs = {m.id: m for m in await Motif.objects().where(Motif.id.is_in([r.motif for r in rows] or [-1]))}
    lieu_ids = [r.lieu for r in rows if r.lieu] or [-1]
    lieux = {lieu.id: lieu for lieu in await Lieu.objects().where(Lieu.id.is_in(lieu_ids))}
    organisations: dict[int, Any] = {}
    zones: dict[tuple[int, int], Any] = {}
    upcoming, past = [], []
    current = public.now()
    for rdv in rows:
        if rdv.organisation not in organisations:
            organisations[rdv.organisation] = await data.organisation(rdv.organisation)
        key = (rdv.organisation, rdv.office)
        if key not in zones:
            zones[key] = Ctx(rdv.organisation, rdv.office, await data.office_timezone(*key)).tz
        motif = motifs[rdv.motif]
        organisation = organisations[rdv.organisation]
        item = {"id": rdv.id, "motif": motif.name, "organisation": organisation.name,
                "lieu": lieux[rdv.lieu].name if rdv.lieu in lieux else "",
                "when": notices.french_moment(rdv.starts_at, zones[key]), "status": STATUSES[rdv.status],
                "may_change": motif.users_may_change and rdv.status == "a_venir" and rdv.starts_at > current,
                "recap": f"/public/o/{organisation.slug}/m/rdv_service_public/rdv/{rdv.token}"}
        (upcoming if rdv.starts_at > current and rdv.status == "a_venir" else past).append(item)
    past.reverse()
    return upcoming, past


async def count_upcoming(account: Account) -> int:
    return int(await Rdv.count().where(_mine(account) & (Rdv.status == "a_venir")
                                       & (Rdv.starts_at > public.now())))


async def _get(account: Account, rdv_id: Any) -> Rdv:
    try:
        wanted = int(rdv_id)
    except (TypeError, ValueError):
        raise NotFound("Ce rendez-vous n'existe pas.") from None
    rdv = await Rdv.objects().where((Rdv.id == wanted) & _mine(account)).first()
    if rdv is None:
        raise NotFound("Ce rendez-vous n'existe pas.")
    return rdv


async def cancel(account: Account, rdv_id: Any) -> Rdv:
    """Cancel one of the person's appointments (Forbidden / Conflict as the motif and the date allow)."""
    rdv = await _get(account, rdv_id)
    return await public.cancel(rdv.organisation, rdv.token)


async def export(account: Account) -> dict[str, Any]:
    rows = await Rdv.select(Rdv.id, Rdv.organisation, Rdv.office, Rdv.motif.name, Rdv.starts_at, Rdv.ends_at,
                            Rdv.status, Rdv.citizen_name, Rdv.citizen_email, Rdv.citizen_phone, Rdv.created_at,
                            Rdv.wants_earlier).where(_mine(account)).order_by(Rdv.starts_at)
    return {"rendez_vous": [{**row, "motif": row.pop("motif.name"), "starts_at": row["starts_at"].isoformat(),
                             "ends_at": row["ends_at"].isoformat(), "created_at": row["created_at"].isoformat()}
                            for row in rows]}


async def erase(platform: Platform, account: Account) -> int:
    """Cancel the person's upcoming appointments (their places free again) and anonymise every one of
    them, here and on the core calendar bookings. Returns how many."""
    rows = await Rdv.objects().where(_mine(account))
    current = public.now()
    for rdv in rows:
        ctx = Ctx(rdv.organisation, rdv.office, await data.office_timezone(rdv.organisation, rdv.office))
        async with data.write_transaction():
            bookings = [b for b in (rdv.booking, rdv.guichet_booking) if b is not None]
            await platform.anonymise_bookings(rdv.organisation, bookings, ANONYMOUS)
            cancelled = rdv.status == "a_venir" and rdv.starts_at > current
            if cancelled:
                rdv.status = "annule"
                await places.release(ctx, rdv)
            rdv.citizen_name, rdv.citizen_email, rdv.citizen_phone, rdv.notes = ANONYMOUS, "", "", ""
            rdv.wants_earlier = False
            await rdv.save()
            if cancelled:
                await notices.event("cancelled", rdv)
    return len(rows)

