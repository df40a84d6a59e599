"""Per-office settings of plugins: each MANIFEST's `settings` Struct stored as JSON per (office, plugin),
read back typed (defaults when nothing is stored), edited by admins on a generated page and through the API."""
