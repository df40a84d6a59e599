"""The module's exam providers come through the hook it publishes (`register_exam_providers`, plugin API 1.3):
its own RdvPermis and Printel are listed with their capabilities, and a centre search goes through the one
named; an unknown provider is refused naming the field."""


async def test_the_module_lists_its_own_providers_and_searches_through_one(school, client, rdvpermis) -> None:
    url, state = rdvpermis
    s = await school()
    await client.put(s.api("/settings"), headers=s.headers,
                     json={"base_url": url, "client_id": "ae", "client_secret": "secret-ae"})
    listed = (await client.get(s.api("/providers"), headers=s.headers)).json()
    assert [(p["key"], p["label"], p["module"]) for p in listed] == [
        ("rdvpermis", "RdvPermis", "passerelle_examens"), ("printel", "Printel", "passerelle_examens")]
    assert listed[1]["capabilities"] == ["assign", "capture"] and "centres" in listed[0]["capabilities"]
    before = state.calls
    found = await client.get(s.api("/centres?departement=01&type=voiture&fournisseur=rdvpermis"), headers=s.headers)
    assert found.status_code == 200 and found.json()[0]["centre_id"] == "01-V1" and state.calls > before
    for bad in ("printel", "inconnu"):  # Printel has no centre search; an unknown key is no provider
        refused = await client.get(s.api(f"/centres?departement=01&type=voiture&fournisseur={bad}"), headers=s.headers)
        assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "fournisseur", refused.text
