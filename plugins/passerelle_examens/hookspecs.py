"""The hooks passerelle_examens publishes (`MANIFEST.hookspecs`, plugin API 1.3): other modules implement them
to add exam providers. This module owns them and versions them with `EXAM_HOOKS_VERSION` (semantic versioning:
within 1.x only additions — new optional arguments, new capabilities, new optional fields — never a removal or a
changed meaning). Implementers import the names they need from `plugins.passerelle_examens.provider_api`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.plugin_api import hookspec

if TYPE_CHECKING:
    from core.plugin_api import Platform
    from plugins.passerelle_examens.provider_api import ExamProviderEntry

EXAM_HOOKS_VERSION = "1.2"


@hookspec
def register_exam_providers(platform: Platform) -> list[ExamProviderEntry]:
    """Exam providers this plugin offers to passerelle_examens (RdvPermis, Printel, a third party), asked each
    time the module lists or uses its providers for an office, only of plugins active there (may be async).
    Each `ExamProviderEntry` names the provider, lists its capabilities and opens it for one office:
    `await entry.open(organisation_id, office_id)` returns an `ExamProvider` (that office's credentials, read by
    the implementer from its own settings)."""
