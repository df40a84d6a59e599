"""The candidates' text search (name, first name, email) is case-insensitive and keeps accents as written, on
SQLite and PostgreSQL alike, and no longer warns « SQLite doesn't support ILIKE » on every search."""

import warnings

from plugins.certification_robert.services import candidates
from plugins.certification_robert.services.common import Ctx


async def test_search_ignores_case_keeps_accents_and_does_not_warn(centre) -> None:
    c = await centre()
    await c.candidate()  # Sébastien Allera, sebastien@clr.com
    await c.candidate(nom="Martin", prenom="Ana", courriel="Ana.Martin@clr.com")
    ctx = Ctx(c.org.organisation_id, c.org.office_id)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        found = {q: [r["nom"] for r in await candidates.list_candidates(ctx, q)]
                 for q in ("ALLERA", "mArT", "ANA.MARTIN@", "séb", "Sébastien", "CLR.COM", "zzz")}
    assert [str(w.message) for w in caught if "ILIKE" in str(w.message)] == []
    assert found == {"ALLERA": ["ALLERA Sébastien"], "mArT": ["MARTIN Ana"], "ANA.MARTIN@": ["MARTIN Ana"],
                     "séb": ["ALLERA Sébastien"], "Sébastien": ["ALLERA Sébastien"],
                     "CLR.COM": ["ALLERA Sébastien", "MARTIN Ana"], "zzz": []}
    await c.candidate(nom="Dupré", prenom="Hélène", courriel="hd@clr.com")
    assert [r["nom"] for r in await candidates.list_candidates(ctx, "dupré")] == ["DUPRÉ Hélène"]
    assert [r["nom"] for r in await candidates.list_candidates(ctx, "dupre")] == []  # accents are not folded
    response = await c.call("GET", "/candidates?q=ALLERA")
    assert [r["nom"] for r in response.json()] == ["ALLERA Sébastien"]
