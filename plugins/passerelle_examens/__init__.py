"""Passerelle Examens: élèves de l'auto-école et leurs mandats RdvPermis, centres d'examen (par fournisseur),
sessions de la semaine, réservation et annulation des examens, places attribuées Printel."""

from decimal import Decimal

from core.plugin_api import Manifest, Permission, Role
from plugins.passerelle_examens.settings import ExamSettings

MANIFEST = Manifest(
    id="passerelle_examens",
    title="Passerelle Examens",
    summary="Élèves et NEPH, mandats RdvPermis, centres d'examen favoris, sessions libres de la semaine, "
            "réservation (mandat confirmé requis) et annulation des examens du permis (dossier d'examen, agenda "
            "du bureau, courriel à l'élève), places attribuées Printel.",
    price_ht=Decimal("29.00"),
    permissions=(
        Permission("passerelle_examens.search", "Rechercher les centres et les places d'examen", Role.basic),
        Permission("passerelle_examens.book", "Gérer les élèves et réserver des places d'examen", Role.basic),
        Permission("passerelle_examens.configure", "Régler la connexion au fournisseur d'examens", Role.admin),
    ),
    settings=ExamSettings,
    piccolo_app="plugins.passerelle_examens.piccolo_app",
    api=">=1.4,<2",  # calendar.relabel (the result on the exam's calendar entry)
    hookspecs="plugins.passerelle_examens.hookspecs",  # publishes register_exam_providers (API 1.3)
)

__all__ = ["MANIFEST"]
