"""An organisation's data as a ZIP archive: `data.json` (every row of every table with an `organisation`
column, core and modules) and `documents/` (the stored files, by id and name)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from core import db
from core.documents.storage import bound_storage
from core.documents.tables import Document

SECRET_COLUMNS = {"password_hash", "token_hash", "key_hash", "code_hash", "totp_secret"}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


async def archive(organisation_id: int, tables: list[Any]) -> bytes:
    """The ZIP bytes. `tables` are the Piccolo tables of the running app (core and plugins)."""
    data: dict[str, Any] = {}
    org = await db.fetch("SELECT * FROM core_organisation WHERE id = {}", organisation_id)
    data["core_organisation"] = org
    for table in tables:
        names = {c._meta.db_column_name for c in table._meta.columns}
        if "organisation" not in names:
            continue
        rows = await db.fetch(f"SELECT * FROM {table._meta.tablename} WHERE organisation = {{}} ORDER BY 1",
                              organisation_id)
        data[table._meta.tablename] = [{k: v for k, v in row.items() if k not in SECRET_COLUMNS} for row in rows]
    data["core_user"] = await db.fetch('SELECT u.id, u.email, u.created_at FROM core_user u JOIN core_member m '
                                       'ON m."user" = u.id WHERE m.organisation = {}', organisation_id)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("data.json", json.dumps(data, default=_plain, ensure_ascii=False, indent=1))
        storage = bound_storage()
        for doc in await Document.objects().where(Document.organisation == organisation_id):
            zipped.writestr(f"documents/{doc.id}-{doc.filename}", await storage.get(doc.storage_key))
    return out.getvalue()
