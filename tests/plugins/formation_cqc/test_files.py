"""Registration files (seed 003, « Importer un fichier »): CSV with or without BOM, `;` or `,`, and XLSX with
the same columns; errors reported with file line, column, value and message; a clean file and the templates."""

from datetime import date

import pytest

from plugins.formation_cqc.services import files
from plugins.formation_cqc.services.controls import check_registration
from plugins.formation_cqc.services.rules import Agrement, Sector, TrainingType

pytestmark = pytest.mark.nodb

AGREMENTS = [Agrement(TrainingType.fimo, Sector.voyageurs, "AG-9", date(2025, 1, 1), date(2027, 1, 1))]
CLEAN = [
    ["REF1", "COM1", "Élodie", "N'Diaye-Lefèvre", "01/02/1985", "12 3456 789 012"],
    ["", "COM1", "PIERRE", "DUPONT", "01/01/1990", "7E9R8T7ZE9E8A9"],
]
BAD = [
    ["REF1", "COM1", "Élodie", "Martin", "01/02/1985", "123456789012"],
    ["REF2", "", "Paul", "Durand", "01/01/1990", "223456789012"],  # file line 3: no order number
    ["REF3", "COM1", "Luc", "Petit", "31/13/1990", "323456789012"],  # file line 4: bad date
    ["REF4", "COM1", "Anne", "Roux", "01/01/1990", "12345"],  # 12345 is all digits but not 12 → bad licence
    ["REF5", "COM1", "Élodie", "Martin", "01/02/1985", "1234 5678 9012"],  # file line 6: duplicate of line 2
]


def _errors(lines):
    report = check_registration(
        TrainingType.fimo, date(2026, 6, 1), lines, agrements=AGREMENTS, today=date(2026, 12, 1)
    )
    return [(e.line, e.column, e.value) for e in files.locate(report.issues)]


def _csv(rows, delimiter=";", bom=True):
    text = "\r\n".join(delimiter.join(r) for r in [files.HEADER, *rows]) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode()


EXPECTED_BAD = [
    (3, "N° de commande", ""),
    (4, "Date de naissance", "31/13/1990"),
    (5, "N° de permis de conduire", "12345"),
    (6, "N° de permis de conduire", "1234 5678 9012"),
]


@pytest.mark.parametrize(("delimiter", "bom"), [(";", True), (";", False), (",", True), (",", False)])
def test_csv_delimiters_and_bom(delimiter, bom):
    assert _errors(files.read_csv(_csv(CLEAN, delimiter, bom))) == []
    assert _errors(files.read_csv(_csv(BAD, delimiter, bom))) == EXPECTED_BAD


def test_xlsx_same_columns_same_errors():
    assert _errors(files.read_xlsx(files.write_xlsx([files.HEADER, *CLEAN]))) == []
    assert _errors(files.read_xlsx(files.write_xlsx([files.HEADER, *BAD]))) == EXPECTED_BAD


def test_error_messages_are_french_and_name_the_value():
    report = check_registration(
        TrainingType.fimo, date(2026, 6, 1), files.read_csv(_csv(BAD)), agrements=AGREMENTS, today=date(2026, 12, 1)
    )
    located = files.locate(report.issues)
    assert located[0].message == "Le numéro de commande est obligatoire."
    assert "ligne 1" in located[3].message  # the duplicate names the first data line


def test_columns_in_any_order_and_blank_lines_skipped():
    header = list(reversed(files.HEADER))
    rows = [header, list(reversed(CLEAN[0])), ["", "", "", "", "", ""], list(reversed(CLEAN[1]))]
    lines = files.read_xlsx(files.write_xlsx(rows))
    assert [line.last_name for line in lines] == ["N'Diaye-Lefèvre", "DUPONT"]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.csv", b"", "vide"),
        ("a.csv", "Nom;Prénom\nx;y\n".encode(), "Colonnes manquantes"),
        ("a.csv", "Nom;Prénom\n".encode("latin-1"), "UTF-8"),
        ("a.xlsx", b"not a zip", "XLSX"),
        ("a.pdf", b"%PDF", "csv ou .xlsx"),
    ],
)
def test_unreadable_files(name, data, message):
    with pytest.raises(files.FileUnreadable, match=message):
        files.read_file(name, data)


def test_templates_hold_the_header_and_the_seed_example():
    for name, data in (("m.csv", files.csv_template()), ("m.xlsx", files.xlsx_template())):
        (line,) = files.read_file(name, data)
        assert line.licence == "7E9R8T7ZE9E8A9" and line.order_number == "COM20220101"
    assert files.csv_template().startswith(b"\xef\xbb\xbf")
