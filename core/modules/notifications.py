"""The order confirmation email. One function, so the outbox can take it over in one place."""

from __future__ import annotations

import logging

from core import mail
from core.commerce.money import format_eur
from core.commerce.tables import Order, OrderLine
from core.config import Settings
from core.tenancy.actor import Actor

log = logging.getLogger("socle.modules")


async def send_order_confirmation(settings: Settings, actor: Actor, order: Order) -> None:
    """Email the owner who ordered. A failure is logged: the order is already placed."""
    lines = await OrderLine.select(OrderLine.label, OrderLine.ttc).where(OrderLine.order == order.id)
    body = [f"Bonjour {actor.display_name},", "",
            f"Votre commande n° {order.number} a bien été enregistrée :", ""]
    body += [f"  - {line['label']} : {format_eur(line['ttc'])} TTC" for line in lines]
    body += ["", f"Total HT : {format_eur(order.total_ht)}", f"TVA : {format_eur(order.total_tva)}",
             f"Total TTC : {format_eur(order.total_ttc)}", "",
             f"Détail : {settings.base_url}/config/orders/{order.id}", "", "L'équipe Socle"]
    message = mail.build_message(settings, actor.email, f"Votre commande n° {order.number}", "\n".join(body))
    try:
        await mail.send(settings, message)
    except Exception:
        log.exception("order %s: confirmation email to %s failed", order.id, actor.email)
