"""Throwaway installed distributions for tests: a module plus a `*.dist-info` with its entry points,
in a folder put on sys.path, so `importlib.metadata` (hence the plugin loader) sees a real plugin."""

from __future__ import annotations

import importlib
import sys
import textwrap
from pathlib import Path


def write_plugin(folder: Path, plugin_id: str, source: str, *, module: str | None = None,
                 distribution: str | None = None, version: str = "1.0.0",
                 files: dict[str, str] | None = None) -> str:
    """Write package `module` (default `test_<id>`) whose `hooks.py` is `source`, and a distribution
    declaring it under `socle.plugins` as `plugin_id`. Returns the package name. Add `folder` to sys.path
    (e.g. `monkeypatch.syspath_prepend(folder)`) for the loader to see it."""
    module = module or f"socle_test_{plugin_id}"
    distribution = distribution or module.replace("_", "-")
    package = folder / module
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text("")
    (package / "hooks.py").write_text(textwrap.dedent(source))
    for name, text in (files or {}).items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    info = folder / f"{distribution.replace('-', '_')}-{version}.dist-info"
    info.mkdir(exist_ok=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {distribution}\nVersion: {version}\n")
    entry_points = info / "entry_points.txt"
    existing = entry_points.read_text() if entry_points.exists() else "[socle.plugins]\n"
    entry_points.write_text(existing + f"{plugin_id} = {module}.hooks\n")
    importlib.invalidate_caches()
    return module


def forget_modules(prefix: str = "socle_test_") -> None:
    """Drop imported test plugin modules so the next test imports its own files."""
    for name in [n for n in sys.modules if n.startswith(prefix)]:
        del sys.modules[name]
