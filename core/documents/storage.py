"""Where a document's bytes live. `Storage` is the whole interface (an S3-compatible store can follow);
`FileStorage` keeps them under a folder, by keys the core generates and checks (never a user's name)."""

from __future__ import annotations

import asyncio
import os
import re
import uuid
from pathlib import Path
from typing import Protocol

from core.config import Settings

KEY_RE = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{32}$")


class Storage(Protocol):
    async def put(self, key: str, content: bytes) -> None: ...
    async def get(self, key: str) -> bytes: ...
    async def delete(self, key: str) -> None: ...


def new_key() -> str:
    name = uuid.uuid4().hex
    return f"{name[:2]}/{name}"


class FileStorage:
    """Files under `root` (`$SOCLE_DATA_DIR/documents/` by default), written atomically (temp + rename)."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def path(self, key: str) -> Path:
        if not KEY_RE.match(key):
            raise ValueError(f"invalid document key {key!r}")
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root):  # belt and braces: the regex already forbids it
            raise ValueError(f"document key {key!r} leaves the storage folder")
        return path

    def _put(self, key: str, content: bytes) -> None:
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".part")
        temporary.write_bytes(content)
        os.replace(temporary, path)

    async def put(self, key: str, content: bytes) -> None:
        await asyncio.to_thread(self._put, key, content)

    async def get(self, key: str) -> bytes:
        return await asyncio.to_thread(self.path(key).read_bytes)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self.path(key).unlink, missing_ok=True)


def storage_for(settings: Settings) -> Storage:
    """The storage an app or a worker uses (the one place to plug another backend)."""
    return FileStorage(settings.data_dir / "documents")


_bound: Storage | None = None


def bind_storage(storage: Storage) -> None:
    """Done by `create_app` (and by the worker's purge job for its own process)."""
    global _bound
    _bound = storage


def bound_storage() -> Storage:
    if _bound is None:
        raise RuntimeError("no document storage bound: create_app() binds one")
    return _bound
