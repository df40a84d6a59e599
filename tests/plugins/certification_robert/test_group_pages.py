"""« Groupes » through the pages: create (errors next to the fields), edit, associate candidates found by a
search (one candidate in two groups), remove one, delete after the confirmation page; another organisation's
group → 404."""

from core.testing.fixtures import login, submit


def url(c, path: str) -> str:
    return f"/offices/{c.org.office_id}/m/certification_robert{path}"


async def test_groups_pages(centre, client) -> None:
    c = await centre()
    seb = await c.candidate()
    lea = await c.candidate(nom="Martin", nom_naissance="Martin", prenom="Léa", courriel="lea@clr.com")
    await login(client, c.org.owner_email)
    new = url(c, "/groupes/nouveau")
    bad = await submit(client, new, new, {"name": " ", "category": "inconnue"})
    assert bad.status_code == 422
    assert 'aria-invalid="true" aria-describedby="name-error"' in bad.text
    assert 'id="category-error">Choisissez une catégorie de groupe dans la liste.' in bad.text
    made = await submit(client, new, new, {"name": "BTS 2026", "category": "classe"})
    group = made.headers["location"]
    page = await client.get(group)
    assert "Groupe « BTS 2026 »" in page.text and "Classe" in page.text and "Aucun candidat" in page.text
    edit = group + "/modifier"
    await submit(client, edit, edit, {"name": "BTS 2027", "category": "session"})
    assert "Session d&#39;examen" in (await client.get(group)).text
    other = (await submit(client, new, new, {"name": "Client Dupont", "category": "client"})).headers["location"]

    search = await client.get(group + "/associer?q=martin")
    assert "MARTIN Léa" in search.text and "ALLERA" not in search.text
    empty = await submit(client, group + "/associer", group + "/associer", {})
    assert empty.status_code == 422 and "Cochez au moins un candidat" in empty.text
    both = {"candidate_ids": [str(seb["id"]), str(lea["id"])]}
    done = await submit(client, group + "/associer", group + "/associer", both)
    assert "2 candidat(s) associé(s)" in (await client.get(done.headers["location"])).text
    await submit(client, other + "/associer", other + "/associer", {"candidate_ids": str(seb["id"])})
    assert "ALLERA Sébastien" in (await client.get(other)).text  # in both groups
    assert "Déjà dans le groupe" in (await client.get(group + "/associer")).text
    listing = await client.get(url(c, "/groupes"))
    assert "BTS 2027" in listing.text and "Client Dupont" in listing.text
    filtered = await client.get(url(c, f"/candidats?group={other.rsplit('/', 1)[1]}"))
    assert "ALLERA Sébastien" in filtered.text and "MARTIN" not in filtered.text

    await submit(client, group, f"{group}/retirer/{lea['id']}", {})
    assert "MARTIN Léa" not in (await client.get(group)).text
    confirm = await client.get(group + "/supprimer")
    assert "Supprimer le groupe « BTS 2027 » ?" in confirm.text and "1 candidat(s)" in confirm.text
    gone = await submit(client, group + "/supprimer", group + "/supprimer", {})
    assert "Le groupe est supprimé." in (await client.get(gone.headers["location"])).text
    assert (await client.get(group)).status_code == 404
    assert "ALLERA Sébastien" in (await client.get(other)).text

    b = await centre("École Voltaire")
    client.cookies.clear()
    await login(client, b.org.owner_email)
    foreign = other.replace(f"/offices/{c.org.office_id}/", f"/offices/{b.org.office_id}/")
    assert (await client.get(foreign)).status_code == 404
    assert (await submit(client, url(b, "/groupes"), foreign + "/supprimer", {})).status_code == 404
