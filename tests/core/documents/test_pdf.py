"""The PDF helper: A4, the organisation in the header, page numbers, every French accent extractable."""

import io

import pypdf
import pytest

from core.documents.pdf import render_pdf

pytestmark = pytest.mark.nodb

CONTEXT = {"title": "Attestation de fin de formation", "name": "Zoé Dupré-Lefèvre",
           "course": "Formation continue obligatoire « marchandises » — œuvre, cœur", "start": "1er mars 2026",
           "end": "5 mars 2026", "place": "Saint-Vallier-sur-Rhône", "signed_by": "Éloïse Çelik, directrice"}
ORG = {"name": "Auto-école des Tilleuls", "address": "3 place de l'Église, 26240 Saint-Vallier"}


async def test_certificate_text_keeps_every_accent():
    pdf = await render_pdf("certificate.typ", CONTEXT, ORG)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = reader.pages[0].extract_text()
    for expected in ("Zoé Dupré-Lefèvre", "« marchandises »", "œuvre, cœur", "Éloïse Çelik", "Saint-Vallier-sur-Rhône",
                     "Auto-école des Tilleuls", "3 place de l", "Église", "Page 1 sur 1", "délivrée", "assiduité"):
        assert expected in text, expected
    fonts = [f.get_object() for f in reader.pages[0]["/Resources"]["/Font"].values()]
    assert fonts and all("/FontFile2" in f["/DescendantFonts"][0].get_object()["/FontDescriptor"] or
                         "/FontFile3" in f["/DescendantFonts"][0].get_object()["/FontDescriptor"] for f in fonts)


async def test_context_text_is_not_typst_markup(tmp_path):
    """A name containing Typst syntax is printed as is, never evaluated."""
    pdf = await render_pdf("certificate.typ", {**CONTEXT, "name": "#panic(\"x\") *gras* $x$"}, ORG)
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert '#panic("x") *gras* $x$' in text


async def test_long_documents_are_numbered(tmp_path):
    template = tmp_path / "long.typ"
    template.write_text("#for line in data.lines [#line \\ ]\n", encoding="utf-8")
    pdf = await render_pdf(template, {"lines": [f"Ligne n° {i} — été" for i in range(150)]}, ORG)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 3
    assert f"Page 2 sur {len(reader.pages)}" in reader.pages[1].extract_text()
