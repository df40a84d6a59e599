"""The results file a partner imports (CSV, UTF-8 with or without BOM, `;` or `,`): columns courriel, score,
niveau, date (in any order, header required). Every error is located by line, column and value; on any
error nothing is written. Pure parsing here; `import_file` writes through services.results.record."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from core.plugin_api import FieldError, ValidationFailed
from plugins.certification_robert.services import results
from plugins.certification_robert.services.common import Ctx

COLUMNS = {"courriel": "email", "score": "score", "niveau": "level", "date": "passed_on"}
LABELS = {"email": "courriel", "score": "score", "level": "niveau", "passed_on": "date"}
MAX_BYTES = 2 * 1024 * 1024
TEMPLATE = "courriel;score;niveau;date\r\nsebastien@clr.com;745;B2;25/03/2026\r\n"


@dataclass(frozen=True, slots=True)
class LineError:
    line: int  # the file's line (header = 1)
    column: str
    value: str
    message: str

    def field_error(self) -> FieldError:
        return FieldError(f"ligne {self.line}, colonne {self.column}",
                          f"{self.message} (valeur : « {self.value} »)")


class FileRefused(ValidationFailed):
    """Located errors of a file (`lines`), also given as FieldErrors for the API."""

    def __init__(self, message: str, lines: list[LineError]) -> None:
        super().__init__(message, [e.field_error() for e in lines])
        self.lines = lines


def _key(label: str) -> str:
    return "".join(c for c in label.strip().casefold() if c.isalnum())


def _text(content: bytes) -> str:
    if not content.strip():
        raise ValidationFailed.on("fichier", "Le fichier est vide.")
    if len(content) > MAX_BYTES:
        raise ValidationFailed.on("fichier", "Le fichier dépasse 2 Mo : découpez-le.")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed.on("fichier", "Le fichier n'est pas en UTF-8 : enregistrez-le en « CSV UTF-8 ».",
                                  ) from None


def parse(content: bytes) -> tuple[list[results.Entry], list[int]]:
    """The entries and the file line of each; FileRefused (every located error) or ValidationFailed."""
    text = _text(content)
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    header = [COLUMNS.get(_key(h), "") for h in rows[0]]
    missing = [label for label, name in COLUMNS.items() if name not in header]
    if missing:
        raise ValidationFailed.on("fichier", "Colonnes manquantes dans l'en-tête : " + ", ".join(missing)
                                  + " (attendu : courriel;score;niveau;date).")
    index = {name: header.index(name) for name in COLUMNS.values()}
    entries: list[results.Entry] = []
    lines: list[int] = []
    errors: list[LineError] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        raw = {name: (row[i] if i < len(row) else "") for name, i in index.items()}
        entry, bad = results.check(raw)
        errors += [LineError(number, LABELS[name], raw[name].strip()[:80], results.MESSAGES[name]) for name in bad]
        if entry is not None:
            entries.append(entry)
            lines.append(number)
    if len(entries) + len(errors) == 0:
        raise ValidationFailed.on("fichier", "Le fichier ne contient aucun résultat.")
    if len(lines) > results.MAX_ENTRIES:
        raise ValidationFailed.on("fichier", f"Le fichier dépasse {results.MAX_ENTRIES} lignes : découpez-le.")
    if errors:
        raise FileRefused(f"{len(errors)} erreur(s) : rien n'a été enregistré. Corrigez le fichier.", errors)
    return entries, lines


async def import_file(c: Ctx, content: bytes) -> int:
    """Parse and record; the candidate problems are located on the line's « courriel » column."""
    entries, lines = parse(content)
    located: list[LineError] = []

    def locate(i: int, message: str) -> FieldError:
        error = LineError(lines[i], "courriel", entries[i].email, message)
        located.append(error)
        return error.field_error()

    try:
        return await results.record(c, entries, "csv", located=locate)
    except ValidationFailed as error:
        if located:
            raise FileRefused(f"{len(located)} erreur(s) : rien n'a été enregistré. Corrigez le fichier.",
                              located) from None
        raise error
