"""Retention: sent and dead outbox messages, webhook deliveries, audit entries and calendar history are kept
for configurable periods, then purged in small batches by a periodic job (see docs/deploy.md, « Rétention »).
Legal documents are not touched here: they follow their own `keep_until` (core.documents)."""

from core.retention.purge import PurgeReport, purge_all
from core.retention.settings import RetentionSettings

__all__ = ["PurgeReport", "RetentionSettings", "purge_all"]
