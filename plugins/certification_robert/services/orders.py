"""Orders (« Mes commandes »): « Commander » stores a quote request and, in the same transaction, the job that
emails the sales team (the module's settings) a French request with the PDF quote and a signed, one-use link
(the PDF is rendered by the job, outside the write transaction). Through
that link the sales team accepts — the stock grows by the ordered quantities in the same transaction — or
refuses; once decided, the link answers « lien déjà utilisé »."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from core.plugin_api import (
    Attachment,
    Conflict,
    NotFound,
    ValidationFailed,
    data,
    enqueue_email,
    format_eur,
    render_pdf,
    write_transaction,
)
from plugins.certification_robert.services import catalogue, stock
from plugins.certification_robert.services.common import Ctx
from plugins.certification_robert.tables import Order

STATUSES = {"devis_demande": "Devis demandé", "acceptee": "Acceptée", "refusee": "Refusée"}
LINK_LIFETIME = timedelta(days=30)
QUOTE = Path(__file__).resolve().parent.parent / "pdf" / "quote.typ"
SUBJECT = "Demande de devis — Certification Le Robert"
QUOTE_JOB = "certification_robert.quotes"


class LinkUsed(Conflict):
    default_message = "Lien déjà utilisé : cette commande a déjà été traitée."


class LinkExpired(Conflict):
    default_message = "Ce lien a expiré. Demandez au partenaire de renouveler sa commande."


def _signature(secret: str, office_id: int, order_id: int, expires: int) -> str:
    message = f"certification_robert/order/{office_id}/{order_id}/{expires}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def sign_link(secret: str, office_id: int, order_id: int, now: datetime | None = None) -> str:
    """The token of the sales team's link: order id, expiry (epoch seconds) and an HMAC of both."""
    expires = int(((now or datetime.now(UTC)) + LINK_LIFETIME).timestamp())
    return f"{order_id}.{expires}.{_signature(secret, office_id, order_id, expires)}"


def check_link(secret: str, office_id: int, token: str, now: datetime | None = None) -> int:
    """The order id of a genuine token (NotFound for a forged one, LinkExpired past its expiry)."""
    try:
        order_text, expires_text, signature = token.split(".")
        order_id, expires = int(order_text), int(expires_text)
    except ValueError:
        raise NotFound("Ce lien n'est pas valide.") from None
    if not hmac.compare_digest(signature, _signature(secret, office_id, order_id, expires)):
        raise NotFound("Ce lien n'est pas valide.")
    if (now or datetime.now(UTC)).timestamp() > expires:
        raise LinkExpired()
    return order_id


def quantities_of(order: dict[str, Any]) -> dict[str, int]:
    return {"PART-CLR-EXAMEN": order["quantity_centre"], "PART-LAPOSTE-EXAMEN": order["quantity_laposte"]}


def out(order: dict[str, Any]) -> dict[str, Any]:
    return {"id": order["id"], "status": order["status"], "status_label": STATUSES[order["status"]],
            "created_at": order["created_at"], "quantities": quantities_of(order),
            "total_ht": format_eur(Decimal(order["total_ht"])), "total_tva": format_eur(Decimal(order["total_tva"])),
            "total_ttc": format_eur(Decimal(order["total_ttc"])), "decided_at": order["decided_at"]}


async def list_orders(c: Ctx) -> list[dict[str, Any]]:
    rows = await Order.select().where((Order.organisation == c.organisation_id) & (Order.office == c.office_id)
                                      ).order_by(Order.id, ascending=False)
    return [out(r) for r in rows]


async def place(c: Ctx, quantities: dict[str, Any], *, secret: str, base_url: str, sales_email: str,
                link_path: str) -> dict[str, Any]:
    """Stores the order and, in the same transaction, the job that emails the sales team (PDF quote + signed
    link): no order without its quote request. The PDF is rendered by that job, outside any transaction, so
    « Commander » never holds the database's writer (SQLite) while Typst compiles; the job is retried until
    the email is queued, once (keyed on the order). `link_path` is the decision page's path with `{token}`."""
    from plugins.certification_robert.runtime import platform

    lines, total = catalogue.compute(quantities)
    if not any(line["quantity"] for line in lines):
        raise ValidationFailed.on("PART-CLR-EXAMEN", "Choisissez au moins une certification à commander.")
    now = datetime.now(UTC)
    async with write_transaction():
        order = Order(organisation=c.organisation_id, office=c.office_id, status="devis_demande",
                      quantity_centre=quantities.get("PART-CLR-EXAMEN", 0),
                      quantity_laposte=quantities.get("PART-LAPOSTE-EXAMEN", 0), total_ht=str(total.ht),
                      total_tva=str(total.tva), total_ttc=str(total.ttc),
                      requested_by=c.actor.email if c.actor else "", created_at=now)
        await order.save()
        link = base_url + link_path.format(token=sign_link(secret, c.office_id, order.id, now))
        await platform().schedule_job(QUOTE_JOB, {"order_id": order.id, "to": sales_email, "link": link},
                                      organisation_id=c.organisation_id, key=f"{QUOTE_JOB}:{order.id}")
    return out(order.to_dict())


async def send_quote(payload: dict[str, Any]) -> None:
    """The job of `place`: render the quote (no transaction open), then queue the sales team's email in a short
    one. At least once: the email's key is the order's, so a retried run queues nothing twice."""
    order = await Order.select().where(Order.id == int(payload["order_id"])).first()
    if order is None:
        return
    created = order["created_at"]
    created = created if created.tzinfo else created.replace(tzinfo=UTC)
    lines, total = catalogue.compute(quantities_of(order))
    organisation = await data.organisation(order["organisation"])
    context = quote_context(order["id"], created, lines, total, organisation.name, order["requested_by"])
    pdf = await render_pdf(QUOTE, context, organisation)
    async with write_transaction():
        await enqueue_email(payload["to"], f"{SUBJECT} n° {order['id']} — {organisation.name}",
                            template="certification_robert/quote_request",
                            context={**context, "link": payload["link"],
                                     "expires": f"{created + LINK_LIFETIME:%d/%m/%Y}"},
                            attachments=[Attachment(f"devis-{order['id']}.pdf", pdf, "application/pdf")],
                            organisation_id=order["organisation"], sender_name=organisation.name,
                            reply_to=organisation.email or None, key=f"{QUOTE_JOB}:{order['id']}:email")


def quote_context(order_id: int, now: datetime, lines: list[dict[str, Any]], total: Any, partner: str,
                  requested_by: str) -> dict[str, Any]:
    return {"number": order_id, "date": now.strftime("%d/%m/%Y"), "partner": partner, "requested_by": requested_by,
            "lines": [{"name": ln["name"], "type": ln["type"], "reference": ln["reference"],
                       "unit_ht": format_eur(ln["unit_ht"]), "quantity": ln["quantity"],
                       "amount_ht": format_eur(ln["amounts"].ht)} for ln in lines if ln["quantity"]],
            "subtotal_ht": format_eur(total.ht), "tva": format_eur(total.tva), "total_ttc": format_eur(total.ttc)}


async def by_link(office: Any, secret: str, token: str) -> dict[str, Any]:
    """The order a genuine link names, in the link's office (NotFound otherwise)."""
    order_id = check_link(secret, int(office.id), token)
    row = await Order.select().where((Order.id == order_id) & (Order.office == office.id)
                                     & (Order.organisation == office.organisation)).first()
    if row is None:
        raise NotFound("Ce lien n'est pas valide.")
    return row  # type: ignore[no-any-return]


async def decide(office: Any, secret: str, token: str, accept: bool) -> dict[str, Any]:
    """Accepts (the stock grows by the ordered quantities) or refuses, once: the status moves from
    « devis demandé » in one conditional UPDATE, so a second use — even a concurrent one — is LinkUsed."""
    order = await by_link(office, secret, token)
    c = Ctx(organisation_id=int(order["organisation"]), office_id=int(order["office"]), actor=None)
    async with stock.write_lock(), write_transaction():
        moved = await Order.update({Order.status: "acceptee" if accept else "refusee",
                                    Order.decided_at: datetime.now(UTC)}).where(
            (Order.id == order["id"]) & (Order.status == "devis_demande")).returning(Order.id)
        if not moved:
            raise LinkUsed()
        if accept:
            for kind, quantity in (("centre", order["quantity_centre"]), ("laposte", order["quantity_laposte"])):
                if quantity:
                    await stock.add(c, kind, quantity)
    return out({**order, "status": "acceptee" if accept else "refusee"})
