"""Agréments of the centre (admins): errors next to each field, the list, and « Mes sessions » offering only
the trainings with an agrément active today; another organisation's office is 404."""

import pytest

from core.testing.fixtures import login, submit


@pytest.fixture
def socle_plugin() -> str:
    return "formation_cqc"


async def test_agrement_form_errors_then_offered(client, office_with_plugin, make_org, activate_plugin):
    org = office_with_plugin
    base = f"/offices/{org.office_id}/m/formation_cqc"
    await login(client, org.owner_email)
    assert "aucune" in (await client.get(base + "/sessions")).text
    bad = await submit(client, base + "/agrements", base + "/agrements",
                       {"training": "", "sector": "voyageurs", "number": "", "valid_from": "01/01/2026",
                        "valid_to": "31/12/2025"})
    assert bad.status_code == 422
    for name in ("training", "number", "valid_to"):
        assert f'aria-describedby="{name}-error"' in bad.text
    assert "La fin de validité doit suivre son début." in bad.text and 'value="01/01/2026"' in bad.text
    ok = await submit(client, base + "/agrements", base + "/agrements",
                      {"training": "fco", "sector": "marchandises", "number": "AG-69-001",
                       "valid_from": "01/01/2020", "valid_to": "31/12/2099"})
    assert ok.status_code in (302, 303), ok.text
    page = (await client.get(base + "/agrements")).text
    assert "AG-69-001" in page and "Actif" in page
    assert "FCO complète" in (await client.get(base + "/sessions")).text

    other = await activate_plugin(await make_org("Autre centre"))
    assert (await client.get(f"/offices/{other.office_id}/m/formation_cqc/agrements")).status_code == 404
