"""What the loader knows about each plugin: shown by `socle plugins list` and the owner page."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from types import ModuleType

from core.plugin_api.manifest import Manifest


class PluginStatus(StrEnum):
    ok = "ok"
    failed = "failed"
    incompatible = "incompatible"
    needs_migration = "needs_migration"

    @property
    def label(self) -> str:
        return {"ok": "OK", "failed": "En échec", "incompatible": "Incompatible",
                "needs_migration": "Migration nécessaire"}[self.value]


class PluginError(RuntimeError):
    """A plugin could not be loaded (raised only with SOCLE_STRICT_PLUGINS=1; otherwise recorded)."""


@dataclass
class PluginRecord:
    id: str
    distribution: str = ""
    version: str = ""
    status: PluginStatus = PluginStatus.ok
    error: str = ""
    hooks: list[str] = field(default_factory=list)
    manifest: Manifest | None = None
    module: ModuleType | None = None
    template_dir: Path | None = None
    runtime_errors: list[str] = field(default_factory=list)  # recent hook failures in this process

    @property
    def healthy(self) -> bool:
        return self.status is PluginStatus.ok

    @property
    def title(self) -> str:
        return self.manifest.title if self.manifest else self.id

    def fail(self, error: str, status: PluginStatus = PluginStatus.failed) -> None:
        self.status, self.error = status, error
