"""The order confirmation email, queued on the outbox in the order's transaction."""

from __future__ import annotations

from core import notify
from core.commerce.money import format_eur
from core.commerce.tables import Order, OrderLine
from core.tenancy.actor import Actor


async def queue_order_confirmation(base_url: str, actor: Actor, order: Order) -> None:
    """Queue the email to the owner who ordered (call inside the checkout transaction)."""
    lines = await OrderLine.select(OrderLine.label, OrderLine.ttc).where(OrderLine.order == order.id)
    body = [f"Bonjour {actor.display_name},", "",
            f"Votre commande n° {order.number} a bien été enregistrée :", ""]
    body += [f"  - {line['label']} : {format_eur(line['ttc'])} TTC" for line in lines]
    body += ["", f"Total HT : {format_eur(order.total_ht)}", f"TVA : {format_eur(order.total_tva)}",
             f"Total TTC : {format_eur(order.total_ttc)}", "",
             f"Détail : {base_url}/config/orders/{order.id}", "", "L'équipe Socle"]
    await notify.enqueue_email(actor.email, f"Votre commande n° {order.number}", text="\n".join(body),
                               organisation_id=actor.organisation_id, key=f"order:{order.id}:confirmation")
