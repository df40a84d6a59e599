"""Operating Socle: health and readiness, metrics, request ids and logs, backup and restore, serving."""
