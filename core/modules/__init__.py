"""Installed modules, their activation per office, the cart and the checkout."""
