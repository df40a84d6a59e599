"""Documents figures: one-page certificates rendered and stored (Typst, the chosen library, against
fpdf2), and the « Mon espace » home page with five modules' sections.

    .venv/bin/python bench/documents.py [--db sqlite|postgres] [--documents 1000] [--fpdf 100] [--homes 300]

Rendering and storing go through the real helpers (`render_pdf`, `core.documents.store`: SHA-256, file
under the data dir, row in the database). fpdf2 renders the same text with DejaVu Sans (it needs a TTF
file; Typst embeds the open fonts shipped in its wheel). The home page is requested in-process
(httpx.ASGITransport) by a signed-in person: rdv_service_public plus four test modules give five sections.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core import db
from core.config import Settings
from core.testing.fixtures import PASSWORD
from tests.core.plugins.sources import full_plugin

CONTEXT = {"title": "Attestation de fin de formation", "name": "Zoé Dupré-Lefèvre",
           "course": "Formation continue obligatoire « marchandises »", "start": "1er mars 2026",
           "end": "5 mars 2026", "place": "Saint-Vallier-sur-Rhône", "signed_by": "Éloïse Çelik, directrice"}
ORG = {"name": "Centre de formation des Tilleuls", "address": "3 place de l'Église, 26240 Saint-Vallier"}
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def fpdf2_certificate(context: dict[str, str]) -> bytes:
    from fpdf import FPDF

    class Certificate(FPDF):
        def header(self) -> None:
            self.set_font("dejavu", "B", 11)
            self.cell(0, 6, ORG["name"], new_x="LMARGIN", new_y="NEXT")
            self.set_font("dejavu", "", 9)
            self.cell(0, 5, ORG["address"], new_x="LMARGIN", new_y="NEXT")
            self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
            self.ln(8)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("dejavu", "", 9)
            self.cell(0, 10, f"Page {self.page_no()} sur {{nb}}", align="R")

    pdf = Certificate(format="A4")
    pdf.add_font("dejavu", "", str(DEJAVU / "DejaVuSans.ttf"))
    pdf.add_font("dejavu", "B", str(DEJAVU / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    pdf.ln(20)
    pdf.set_font("dejavu", "B", 22)
    pdf.cell(0, 12, context["title"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(15)
    pdf.set_font("dejavu", "", 11)
    pdf.multi_cell(0, 6, f"Nous certifions que {context['name']} a suivi avec assiduité la formation "
                         f"« {context['course']} » du {context['start']} au {context['end']}, à {context['place']}.")
    pdf.ln(5)
    pdf.multi_cell(0, 6, "Cette attestation est délivrée pour servir et valoir ce que de droit.")
    pdf.ln(20)
    pdf.multi_cell(0, 6, f"Fait à {context['place']}, le {context['end']}\n{context['signed_by']}", align="R")
    return bytes(pdf.output())


async def render_and_store(label: str, render: object, count: int, organisation_id: int, office_id: int) -> None:
    from core.documents import store

    durations = []
    start = time.perf_counter()
    for n in range(count):
        began = time.perf_counter()
        content = await render({**CONTEXT, "name": f"Zoé Dupré-Lefèvre n° {n}"})  # type: ignore[operator]
        await store(organisation_id=organisation_id, office_id=office_id, module="bench", kind="attestation",
                    title=f"Attestation n° {n}", filename=f"attestation-{n}.pdf", content=content,
                    content_type="application/pdf", keep_until=date.today() + timedelta(days=365))
        durations.append(time.perf_counter() - began)
    total = time.perf_counter() - start
    median = statistics.median(durations) * 1000
    p95 = sorted(durations)[int(len(durations) * 0.95)] * 1000
    print(f"{label:<8} {count:5d} certificates rendered and stored: median {median:6.1f} ms, p95 {p95:6.1f} ms, "
          f"total {total:6.1f} s ({len(content) / 1024:.0f} KiB each)")


async def run(args: argparse.Namespace, database_url: str, workdir: Path) -> None:
    from core.documents import render_pdf
    from core.tenancy import services
    from core.tenancy.tables import Office
    from core.web import create_app

    site = workdir / "site"
    for n in range(4):
        full_plugin(site, f"espace{n}", "10.00")
    sys.path.insert(0, str(site))
    settings = Settings(data_dir=workdir / "data", database_url=database_url, secret_key="b" * 32)
    app = create_app(settings)
    for hook in app.on_startup:
        await app._call_lifespan_hook(hook)
    await db.migrate(app.state.plugins.app_modules())
    await app.state.plugins.check_migrations()
    owner = await services.create_user("gerant@bench.example", PASSWORD)
    organisation = await services.create_organisation("Bench", owner, "Gérant")
    office = await Office.objects().where(Office.organisation == organisation.id).first()
    assert office is not None

    async def typst(context: dict[str, str]) -> bytes:
        return await render_pdf("certificate.typ", context, ORG)

    async def fpdf(context: dict[str, str]) -> bytes:
        return await asyncio.to_thread(fpdf2_certificate, context)

    await typst(CONTEXT)  # the compiler is built once per template (fonts loaded), as in a running server
    await render_and_store("typst", typst, args.documents, organisation.id, office.id)
    if args.fpdf:
        await render_and_store("fpdf2", fpdf, args.fpdf, organisation.id, office.id)

    await services.create_user("zoe@bench.example", PASSWORD)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
        page = await client.get("/login")
        token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        response = await client.post("/login", data={"email": "zoe@bench.example", "password": PASSWORD,
                                                     "_csrf_token": token})
        assert response.status_code in (200, 302, 303), response.text
        home = await client.get("/mon-espace/")
        sections = home.text.count('class="section-card"')
        durations = []
        for _ in range(args.homes):
            began = time.perf_counter()
            response = await client.get("/mon-espace/")
            durations.append(time.perf_counter() - began)
            assert response.status_code == 200
        print(f"« Mon espace » home ({sections} cards: {sections - 1} modules + documents), {args.homes} requests: "
              f"median {statistics.median(durations) * 1000:.1f} ms, p95 "
              f"{sorted(durations)[int(len(durations) * 0.95)] * 1000:.1f} ms ({settings.database_url.split(':')[0]})")
    for hook in app.on_shutdown:
        await app._call_lifespan_hook(hook)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--fpdf", type=int, default=100, help="certificates for fpdf2 (0: skip)")
    parser.add_argument("--homes", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        if args.db == "postgres":
            from core.testing.postgres import PostgresServer

            server = PostgresServer.start()
            try:
                asyncio.run(run(args, server.create_database("socle_bench"), workdir))
            finally:
                server.stop()
        else:
            asyncio.run(run(args, f"sqlite:///{workdir / 'bench.sqlite'}", workdir))


if __name__ == "__main__":
    main()
