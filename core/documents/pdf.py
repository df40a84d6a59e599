"""A4 PDFs from a Typst template and a context (library chosen by measurement: docs/documents.md).

A template is a Typst file that reads `data` (the context, as JSON) and writes only the body; the helper
frames it: A4, French hyphenation, the organisation's name and address in the header, « Page n sur N »
in the footer, and the open fonts shipped inside the typst package (embedded, subset, in the PDF).
One compiler per template is kept: fonts load once and a one-page certificate renders in a few ms.
"""

from __future__ import annotations

import asyncio
import atexit
import hashlib
import json
import shutil
import tempfile
import threading
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import typst

FRAME = """#let data = json(bytes(sys.inputs.data))
#set document(title: data.at("title", default: ""), author: data.organisation.name)
#set text(lang: "fr", size: 11pt)
#set par(justify: false)
#set page(paper: "a4", margin: (x: 2cm, top: 3cm, bottom: 2.5cm),
  header: [#text(weight: "bold")[#data.organisation.name] #linebreak() #text(size: 9pt)[#data.organisation.address]
    #line(length: 100%, stroke: 0.5pt)],
  footer: context [#text(size: 9pt)[#h(1fr) Page #counter(page).display() sur #counter(page).final().first()]])
"""
TEMPLATES = Path(__file__).parent / "templates"

_compilers: dict[str, tuple[Any, threading.Lock]] = {}
_build = threading.Lock()
_folder: list[Path] = []  # made on first use (importing the helper has no side effect)


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"not JSON-able in a PDF context: {type(value).__name__}")


def _compiler(template: Path) -> tuple[Any, threading.Lock]:
    source = FRAME + template.read_text(encoding="utf-8")
    digest = hashlib.sha256(source.encode()).hexdigest()[:16]
    with _build:
        if digest not in _compilers:
            if not _folder:
                _folder.append(Path(tempfile.mkdtemp(prefix="socle-typst-")))
                atexit.register(shutil.rmtree, _folder[0], True)  # one per process, gone with it
            main = _folder[0] / f"{digest}.typ"
            main.write_text(source, encoding="utf-8")
            _compilers[digest] = (typst.Compiler(str(main), root=str(_folder[0])), threading.Lock())
        return _compilers[digest]


def render_pdf_sync(template: str | Path, context: Mapping[str, Any], organisation: Mapping[str, str]) -> bytes:
    """The PDF bytes (blocking; see `render_pdf`). `organisation` needs `name` and `address`."""
    path = Path(template)
    if not path.is_absolute():
        path = TEMPLATES / path
    payload = {**context, "organisation": {"name": organisation.get("name", ""),
                                           "address": organisation.get("address", "")}}
    compiler, lock = _compiler(path)
    with lock:  # one compilation at a time per compiler
        return bytes(compiler.compile(sys_inputs={"data": json.dumps(payload, default=_default)}))


async def render_pdf(template: str | Path, context: Mapping[str, Any], organisation: Any) -> bytes:
    """Render `template` (a path, or a name under core/documents/templates/) with `context` for
    `organisation` (an OrganisationInfo or a mapping with name and address), in a worker thread."""
    org = organisation if isinstance(organisation, Mapping) else {"name": organisation.name,
                                                                   "address": organisation.address}
    return await asyncio.to_thread(render_pdf_sync, template, context, org)
