"""`socle plugins new <id>`: a ready module package, from the files beside this module.

Every `*.txt` under `files/` becomes a file of the new package (the suffix dropped) with PLUGIN_ID,
PACKAGE_NAME, DIST_NAME and MODULE_TITLE replaced; then its first migration is generated from its tables
(as `socle plugins makemigrations` would). The result installs and passes its own tests unchanged.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from pathlib import Path

from core.errors import ValidationFailed
from core.plugin_api.manifest import PLUGIN_ID_RE

FILES = Path(__file__).parent / "files"
TITLE_RE = re.compile(r"^[^\"\\{}<>]{2,60}$")


@dataclass(frozen=True, slots=True)
class Names:
    plugin_id: str
    package: str
    distribution: str
    title: str

    @classmethod
    def of(cls, plugin_id: str, title: str | None = None) -> Names:
        if not PLUGIN_ID_RE.match(plugin_id):
            raise ValidationFailed.on("id", f"Identifiant « {plugin_id} » invalide : lettres minuscules, chiffres "
                                            "et _, commençant par une lettre (2 à 49 caractères), ex. centre_examen.")
        title = title or plugin_id.replace("_", " ").capitalize()
        if not TITLE_RE.match(title):
            raise ValidationFailed.on("title", "Le titre doit compter 2 à 60 caractères, sans \" \\ { } < >.")
        return cls(plugin_id, f"socle_{plugin_id}", "socle-" + plugin_id.replace("_", "-"), title)

    def fill(self, text: str) -> str:
        for token, value in (("PLUGIN_ID", self.plugin_id), ("PACKAGE_NAME", self.package),
                             ("DIST_NAME", self.distribution), ("MODULE_TITLE", self.title)):
            text = text.replace(token, value)
        return text


def create(plugin_id: str, directory: Path, title: str | None = None) -> Path:
    """Write the package `socle-<id>/` inside `directory` and its first migration; returns its folder.
    Refuses (ValidationFailed, French) a bad id or a folder that already exists."""
    names = Names.of(plugin_id, title)
    root = directory / names.distribution
    if root.exists():
        raise ValidationFailed.on("dir", f"Le dossier {root} existe déjà : choisissez un autre --dir ou supprimez-le.")
    for source in sorted(FILES.rglob("*.txt")):
        target = root / names.fill(str(source.relative_to(FILES))[: -len(".txt")])
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(names.fill(source.read_text(encoding="utf-8")), encoding="utf-8")
    from core.plugins.migrations import make_migration_from_source

    asyncio.run(make_migration_from_source(root, f"{names.package}.piccolo_app", "création des tables"))
    return root
