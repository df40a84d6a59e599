"""A third exam provider for passerelle_examens, through the hook that module publishes."""
