"""An organisation with certification_robert active in its office, and shortcuts to drive its API."""

from dataclasses import dataclass
from typing import Any

import pytest

from core.testing.fixtures import api_token
from tests.core.modules.helpers import order_modules


@pytest.fixture
def socle_plugin() -> str:
    return "certification_robert"


IDENTITE = {"civilite": "monsieur", "nom": "Allera", "nom_naissance": "Allera", "prenom": "Sébastien",
            "courriel": "sebastien@clr.com", "date_naissance": "1990-04-12", "code_postal_naissance": "69001",
            "commune_naissance": "Lyon", "pays_naissance": "France"}


@dataclass
class Centre:
    org: Any
    headers: dict[str, str]
    client: Any

    @property
    def base(self) -> str:
        return f"/api/v1/offices/{self.org.office_id}/m/certification_robert"

    async def call(self, method: str, path: str, headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
        return await self.client.request(method, self.base + path, headers=headers or self.headers, **kwargs)

    async def make(self, path: str, payload: dict[str, Any]) -> dict:
        response = await self.call("POST", path, json=payload)
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]

    async def candidate(self, **changes: Any) -> dict:
        return await self.make("/candidates", {**IDENTITE, **changes})


@pytest.fixture
def centre(client, make_org):
    async def build(name: str = "Centre de langues Molière") -> Centre:
        org = await make_org(name)
        headers = await api_token(client, org.owner_email)
        await order_modules(client, headers, (org.office_id, "certification_robert", "activate"))
        return Centre(org, headers, client)

    return build
