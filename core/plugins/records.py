"""What the loader knows about each plugin: shown by `socle plugins list` and the owner page."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from types import ModuleType

from core.plugin_api.manifest import Manifest

_ABSOLUTE_PATH = re.compile(r"(?<![\w.])(?:[A-Za-z]:)?[/\\][^\s:'\"()<>,;/\\]+(?:[/\\][^\s:'\"()<>,;/\\]*)+")


def _relative(path: str) -> str:
    """`/srv/venv/lib/python3.11/site-packages/socle_x/hooks.py` → `socle_x/hooks.py` (relative to the
    longest sys.path entry holding it), else the file name: never an absolute server path."""
    roots = sorted((p.rstrip("/") + "/" for p in sys.path if p and p.startswith("/")), key=len, reverse=True)
    for root in roots:
        if path.startswith(root) and len(path) > len(root):
            return path[len(root):]
    return path.replace("\\", "/").rsplit("/", 1)[-1] or "…"


def scrub_paths(text: str) -> str:
    """An error message with every absolute path made relative (errors are shown to owners and in the API)."""
    return _ABSOLUTE_PATH.sub(lambda match: _relative(match.group(0)), text)


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
    traceback: str = ""  # the load failure's full traceback: for `socle plugins check` only, never the API

    @property
    def healthy(self) -> bool:
        return self.status is PluginStatus.ok

    @property
    def title(self) -> str:
        return self.manifest.title if self.manifest else self.id

    @property
    def mounted(self) -> bool:
        """Loaded and mounted, though perhaps blocked until `socle migrate` (its activations still count)."""
        return self.status in (PluginStatus.ok, PluginStatus.needs_migration)

    def fail(self, error: str, status: PluginStatus = PluginStatus.failed) -> None:
        self.status, self.error = status, scrub_paths(error)
