"""Small rules of written French for names built into sentences (« l'espace de la Mairie de… »)."""

from __future__ import annotations

import unicodedata

# Common nouns an organisation's name often starts with, and the article they take after « de ». Other
# names are treated as proper names: « d'Auto-école des Tilleuls », « de Socle ».
FEMININE = ("mairie", "préfecture", "sous-préfecture", "communauté", "maison", "agence", "direction", "ville",
            "commune", "métropole", "région", "chambre", "caisse", "mission")
MASCULINE = ("centre", "service", "conseil", "bureau", "cabinet", "syndicat", "département", "office",
             "pôle", "point", "espace", "établissement", "institut", "hôtel")
VOWELS = "aeiouyh"


def _starts_with_vowel(word: str) -> bool:
    base = unicodedata.normalize("NFD", word[:1].lower())[:1]
    return base in VOWELS


def de(name: str) -> str:
    """« de » before a name, with its article and elision: « de la Mairie de Saint-Vallier », « du Centre
    Nord », « de l'Agence X » … and, for a name that is not a known common noun, « d'Auto-école… »'s
    elision or a plain « de » (« de Socle »)."""
    name = name.strip()
    first = name.split(" ", 1)[0].lower()
    if first in FEMININE or first in MASCULINE:
        if _starts_with_vowel(first):
            return f"de l'{name}"
        return f"de la {name}" if first in FEMININE else f"du {name}"
    return f"d'{name}" if name and _starts_with_vowel(name) else f"de {name}"
