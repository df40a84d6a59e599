"""Passerelle Hello: an example Socle module (greetings per office, an API, a public status page)."""

from decimal import Decimal
from typing import Annotated

import msgspec

from core.plugin_api import PER_ORGANISATION, SECRET, Billing, Manifest, Permission, Role


class HelloSettings(msgspec.Struct, kw_only=True):
    """Per-office settings, edited by admins on « Réglages du module » or PUT …/m/hello_gateway/settings.
    `signature` is set once for the organisation (offices may override it); `api_key` is secret."""

    greeting: Annotated[str, msgspec.Meta(title="Message d'accueil", min_length=1, max_length=120,
                                          description="Affiché en tête de la page de la passerelle")] = "Bonjour !"
    show_public_status: Annotated[bool, msgspec.Meta(title="Page d'état publique")] = True
    signature: Annotated[str, msgspec.Meta(title="Signature des messages", max_length=80),
                         PER_ORGANISATION] = "L'équipe"
    api_key: Annotated[str, msgspec.Meta(title="Clé d'API de la passerelle", max_length=200), SECRET] = ""


MANIFEST = Manifest(
    id="hello_gateway",
    title="Passerelle Hello",
    summary="Un exemple de passerelle : messages d'accueil par bureau.",
    api=">=1.1,<2",
    price_ht=Decimal("71.00"),
    billing=Billing.one_off,
    permissions=(
        Permission("hello_gateway.read", "Lire les messages", Role.basic),
        Permission("hello_gateway.write", "Écrire des messages", Role.admin),
    ),
    settings=HelloSettings,
    piccolo_app="socle_hello_gateway.piccolo_app",
)
