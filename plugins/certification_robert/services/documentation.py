"""« Documentation » of the partner's account (seed 002, « Mon compte : documentation »): the four documents
the module generates as PDFs, framed with the partner's name (Typst templates under pdf/guides/)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.plugin_api import NotFound, data, render_pdf

GUIDES_DIR = Path(__file__).resolve().parent.parent / "pdf" / "guides"


@dataclass(frozen=True, slots=True)
class Guide:
    slug: str
    title: str
    summary: str

    @property
    def filename(self) -> str:
        return f"{self.slug}-certification-le-robert.pdf"


GUIDES = (
    Guide("mode-emploi-administrateur", "Mode d'emploi à destination de l'administrateur",
          "Commandes, groupes, candidats en cinq étapes, attribution, codes et résultats."),
    Guide("mode-emploi-surveillant", "Mode d'emploi à destination du surveillant",
          "Préparer la salle, accueillir les candidats, surveiller l'épreuve."),
    Guide("feuille-brouillon", "Feuille de brouillon Certification Le Robert",
          "Une feuille par candidat, ramassée en fin d'épreuve."),
    Guide("document-surveillance", "Document de surveillance",
          "Présence, incidents et signature du surveillant."),
)
TEMPLATES = {"mode-emploi-administrateur": "admin.typ", "mode-emploi-surveillant": "surveillant.typ",
             "feuille-brouillon": "brouillon.typ", "document-surveillance": "surveillance.typ"}


def guide(slug: str) -> Guide:
    for g in GUIDES:
        if g.slug == slug:
            return g
    raise NotFound("Ce document n'existe pas.")


async def render(slug: str, organisation_id: int) -> tuple[Guide, bytes]:
    found = guide(slug)
    pdf = await render_pdf(GUIDES_DIR / TEMPLATES[slug], {"title": found.title},
                           await data.organisation(organisation_id))
    return found, pdf
