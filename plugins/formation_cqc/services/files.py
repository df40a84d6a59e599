"""Registration files (seed 003, « Importer un fichier »): CSV (UTF-8 with or without BOM, `;` or `,`) and
XLSX with the same columns, read into `LineIn`s; errors located by file line and column; the downloadable
templates of both formats. Pure: bytes in, lines or errors out."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from xml.sax.saxutils import escape

from python_calamine import CalamineError, load_workbook

from plugins.formation_cqc.services.controls import FIELD_LABELS, Issue, LineIn

# Columns in file order: header label → LineIn field.
COLUMNS: tuple[tuple[str, str], ...] = tuple((label, name) for name, label in FIELD_LABELS.items())
HEADER = [label for label, _ in COLUMNS]
EXAMPLE = ["REF202201", "COM20220101", "PIERRE", "DUPONT", "01/01/1990", "7E9R8T7ZE9E8A9"]
MAX_LINES = 20_000


@dataclass(frozen=True, slots=True)
class FileError:
    """A located problem: `line` is the file's line (header = 1), `column` its header label."""

    line: int
    column: str
    value: str
    message: str


class FileUnreadable(ValueError):
    """The file cannot be read at all (not UTF-8, not an XLSX, no header…): one French message."""


def _key(label: str) -> str:
    return "".join(c for c in label.casefold() if c.isalnum())


_BY_KEY = {_key(label): name for label, name in COLUMNS} | {name: name for _, name in COLUMNS}


def _lines_from_rows(rows: list[list[str]]) -> list[LineIn]:
    if not rows:
        raise FileUnreadable("Le fichier est vide.")
    header = [_key(h) for h in rows[0]]
    missing = [
        label for label, name in COLUMNS if name != "reference" and not any(_BY_KEY.get(h) == name for h in header)
    ]
    if missing:
        raise FileUnreadable("Colonnes manquantes dans l'en-tête : " + ", ".join(missing) + ".")
    index = {_BY_KEY[h]: i for i, h in enumerate(header) if h in _BY_KEY}
    body = [row for row in rows[1:] if any(cell.strip() for cell in row)]
    if len(body) > MAX_LINES:
        raise FileUnreadable(f"Le fichier dépasse {MAX_LINES} lignes : découpez-le.")
    return [
        LineIn(**{name: (row[i] if i < len(row) else "") for name, i in index.items()})  # type: ignore[arg-type]
        for row in body
    ]


def read_csv(data: bytes) -> list[LineIn]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileUnreadable("Le fichier CSV doit être encodé en UTF-8.") from exc
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    return _lines_from_rows([list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)])


def _cell(value: object) -> str:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def read_xlsx(data: bytes) -> list[LineIn]:
    try:
        sheet = load_workbook(io.BytesIO(data)).get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
    except (CalamineError, ValueError, IndexError, zipfile.BadZipFile) as exc:
        raise FileUnreadable("Le fichier n'est pas un classeur XLSX lisible.") from exc
    return _lines_from_rows([[_cell(v) for v in row] for row in rows])


def read_file(filename: str, data: bytes) -> list[LineIn]:
    if filename.lower().endswith(".xlsx"):
        return read_xlsx(data)
    if filename.lower().endswith(".csv"):
        return read_csv(data)
    raise FileUnreadable("Format non pris en charge : déposez un fichier .csv ou .xlsx.")


def locate(issues: list[Issue]) -> list[FileError]:
    """Line issues as file positions (data line i is file line i + 2); session issues on line 1."""
    return [
        FileError(
            line=1 if issue.line is None else issue.line + 2,
            column=FIELD_LABELS.get(issue.field, issue.field),
            value=issue.value,
            message=issue.message,
        )
        for issue in issues
        if not issue.warning
    ]


def csv_template() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows([HEADER, EXAMPLE])
    return b"\xef\xbb\xbf" + out.getvalue().encode()


def _col(i: int) -> str:
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def write_xlsx(rows: list[list[str]]) -> bytes:
    """A minimal XLSX (inline strings, one sheet): the template, and the files of the tests and bench."""
    cells = []
    for r, row in enumerate(rows, start=1):
        inner = "".join(f'<c r="{_col(c)}{r}" t="inlineStr"><is><t>{escape(v)}</t></is></c>' for c, v in enumerate(row))
        cells.append(f'<row r="{r}">{inner}</row>')
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main"><sheetData>{"".join(cells)}</sheetData></worksheet>'
    )
    ns = "http://schemas.openxmlformats.org"
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="'
        f'{ns}/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats'
        '-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
        'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
        'sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}/package/2006/'
        f'relationships"><Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{ns}/spreadsheetml/2006/'
        f'main" xmlns:r="{ns}/officeDocument/2006/relationships"><sheets><sheet name="Conducteurs" sheetId="1" '
        'r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}/'
        f'package/2006/relationships"><Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/'
        'worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
    return out.getvalue()


def xlsx_template() -> bytes:
    return write_xlsx([HEADER, EXAMPLE])
