"""The RdvPermis client's mandates against the real simulator: asked (idempotent while open), read, revoked,
asked again; an expired token is renewed once; an unknown NEPH and a bad link get French messages/refusals."""

from __future__ import annotations

import httpx
import pytest

from plugins.passerelle_examens.providers.base import ExamProviderError
from plugins.passerelle_examens.providers.rdvpermis import RdvPermisProvider

pytestmark = pytest.mark.nodb
NEPH = "120456789012"


async def test_mandate_lifecycle_and_faults(rdvpermis) -> None:
    url, state = rdvpermis
    provider = RdvPermisProvider(url, "tilleuls", "secret-tilleuls")
    try:
        asked = await provider.mandate(NEPH, "eleve@exemple.fr")
        assert asked.state == "requested" and asked.confirm_url.startswith(url + "/mandats/")
        assert (await provider.mandate(NEPH, "eleve@exemple.fr")).mandate_id == asked.mandate_id  # idempotent
        state.tokens.clear()  # every token expired: renewed once, transparently
        assert (await provider.read_mandate(NEPH)).state == "requested"
        async with httpx.AsyncClient() as student:
            bad = await student.post(f"{url}/mandats/{asked.mandate_id}/reponse",
                                     data={"jeton": "faux", "decision": "accepter"})
            assert bad.status_code == 403 and state.mandates[NEPH]["state"] == "requested"
        assert (await provider.revoke_mandate(NEPH)).state == "revoked"
        again = await provider.mandate(NEPH, "")
        assert again.state == "requested" and again.mandate_id != asked.mandate_id
        with pytest.raises(ExamProviderError, match="RdvPermis ne connaît pas cet élément"):
            await provider.read_mandate("999999999999")
        state.faults.rate_limited = 1  # 429 with Retry-After, then the answer
        assert (await provider.read_mandate(NEPH)).state == "requested"
    finally:
        await provider.aclose()
