"""Money, VAT and orders (public plugin API through `core.plugin_api`)."""
