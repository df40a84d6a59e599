"""Socle core: the platform every module plugs into."""
