"""Documents owed to people (public API, re-exported by `core.plugin_api`): store a file for an
organisation / office / module and optionally a person, read it back with the reader checked, and let
the periodic purge delete it past `keep_until`. PDFs come from `render_pdf`. See docs/documents.md."""

from core.documents.pdf import render_pdf
from core.documents.services import (
    DocumentInfo,
    count_for_account,
    delete,
    get,
    list_for_account,
    list_for_office,
    purge_expired,
    read_for_account,
    read_for_staff,
    safe_filename,
    store,
)
from core.documents.storage import FileStorage, Storage, bind_storage, storage_for

__all__ = [
    "DocumentInfo",
    "FileStorage",
    "Storage",
    "bind_storage",
    "count_for_account",
    "delete",
    "get",
    "list_for_account",
    "list_for_office",
    "purge_expired",
    "read_for_account",
    "read_for_staff",
    "render_pdf",
    "safe_filename",
    "storage_for",
    "store",
]
