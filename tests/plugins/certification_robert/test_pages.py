"""The five-step creation through the French pages: errors next to the field (aria-invalid), the draft
reopened from the list, filters and « Réinitialiser les filtres »; another organisation's candidate → 404."""

from core.testing.fixtures import login, submit
from tests.plugins.certification_robert.conftest import IDENTITE


def url(c, path: str) -> str:
    return f"/offices/{c.org.office_id}/m/certification_robert{path}"


async def test_five_steps_through_the_pages(centre, client) -> None:
    c = await centre()
    await login(client, c.org.owner_email)
    new = url(c, "/candidats/nouveau")
    bad = await submit(client, new, new, {**IDENTITE, "code_postal_naissance": "123", "nom": ""})
    assert bad.status_code == 422
    assert "Le code postal de naissance doit avoir 5 chiffres." in bad.text
    assert 'id="nom" name="nom" type="text" value="" aria-required="true" aria-invalid="true"' in bad.text
    ok = await submit(client, new, new, IDENTITE)
    assert ok.status_code in (302, 303)
    step2 = ok.headers["location"]
    assert step2.endswith("/mot_de_passe")
    short = await submit(client, step2, step2, {"mot_de_passe": "abc", "confirmation": "abc"})
    assert "Le mot de passe doit contenir au minimum 6 caractères." in short.text
    listing = await client.get(url(c, "/candidats"))
    assert "ALLERA Sébastien" in listing.text and "En création" in listing.text  # the draft is kept
    await submit(client, step2, step2, {"mot_de_passe": "secret1", "confirmation": "secret1", "envoyer": "on"})
    step3 = step2.replace("mot_de_passe", "informations")
    done = await submit(client, step3, step3, {"statut": "salarie", "financement": "cpf"})
    assert done.headers["location"].endswith("/coordonnees")
    listing = await client.get(url(c, "/candidats?status=a_attribuer"))
    assert "ALLERA Sébastien" in listing.text and "Réinitialiser les filtres" in listing.text
    assert "ALLERA" not in (await client.get(url(c, "/candidats?status=en_creation"))).text.split("<tbody>")[-1]
    back = await client.get(step3)
    assert 'value="cpf" selected' in back.text


async def test_other_organisation_candidate_page_is_404(centre, client) -> None:
    a, b = await centre(), await centre("École Voltaire")
    seb = await a.candidate()
    await login(client, b.org.owner_email)
    assert (await client.get(url(b, f"/candidats/{seb['id']}/identite"))).status_code == 404
    assert (await client.get(url(b, f"/candidats/{seb['id']}/inconnue"))).status_code == 404
