"""« de » before an organisation's name: article and elision (« de la Mairie de… », « d'Auto-école… »)."""

import pytest

from core.french import de

pytestmark = pytest.mark.nodb


@pytest.mark.parametrize(("name", "expected"), [
    ("Mairie de Saint-Vallier", "de la Mairie de Saint-Vallier"),
    ("Auto-école des Tilleuls", "d'Auto-école des Tilleuls"),
    ("Centre de formation Nord", "du Centre de formation Nord"),
    ("Agence Lumière", "de l'Agence Lumière"),
    ("Hôtel de ville", "de l'Hôtel de ville"),
    ("Établissement Martin", "de l'Établissement Martin"),
    ("Socle", "de Socle"),
    ("Île-de-France Permis", "d'Île-de-France Permis"),
])
def test_de_takes_the_article_and_elides(name, expected):
    assert de(name) == expected


async def test_dashboard_welcomes_with_the_right_article(client, make_org):
    from core.testing.fixtures import login

    for name, expected in (("Mairie de Saint-Vallier", "l'espace de la Mairie de Saint-Vallier"),
                           ("Auto-école des Tilleuls", "l'espace d'Auto-école des Tilleuls")):
        org = await make_org(name)
        await login(client, org.owner_email)
        page = await client.get("/dashboard")
        assert expected in page.text.replace("&#39;", "'"), page.text
        client.cookies.clear()
