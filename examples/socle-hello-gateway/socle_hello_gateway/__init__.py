"""Passerelle Hello: an example Socle module (greetings per office, an API, a public status page)."""

from decimal import Decimal

from core.plugin_api import Billing, Manifest, Permission, Role

MANIFEST = Manifest(
    id="hello_gateway",
    title="Passerelle Hello",
    summary="Un exemple de passerelle : messages d'accueil par bureau.",
    api=">=1.0,<2",
    price_ht=Decimal("71.00"),
    billing=Billing.one_off,
    permissions=(
        Permission("hello_gateway.read", "Lire les messages", Role.basic),
        Permission("hello_gateway.write", "Écrire des messages", Role.admin),
    ),
    piccolo_app="socle_hello_gateway.piccolo_app",
)
