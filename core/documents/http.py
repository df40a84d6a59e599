"""Turning a stored document into a download response (shared by the staff and « Mon espace » routes)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import Response

from core.documents.services import DocumentInfo


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback and the exact UTF-8 name (RFC 6266 / 5987)."""
    fallback = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "") or "document"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def download(info: DocumentInfo, content: bytes) -> Response[Any]:
    return Response(content, media_type=info.content_type, headers={
        "Content-Disposition": content_disposition(info.filename),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
    })
