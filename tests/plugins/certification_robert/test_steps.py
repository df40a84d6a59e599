"""The five steps' required fields and formats, and the seed's cart figures (pure logic)."""

import pytest

from core.plugin_api import ValidationFailed
from plugins.certification_robert.services import catalogue, steps
from tests.plugins.certification_robert.conftest import IDENTITE

pytestmark = pytest.mark.nodb


def fields_of(step: str, values: dict) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        steps.check(step, values)
    return {e.field: e.message for e in caught.value.errors}


def test_identite_names_every_missing_field_in_french() -> None:
    errors = fields_of("identite", {})
    assert set(errors) == {"civilite", "nom", "nom_naissance", "prenom", "courriel", "date_naissance",
                           "code_postal_naissance", "commune_naissance", "pays_naissance"}
    assert errors["nom"] == "« Nom » est obligatoire."


@pytest.mark.parametrize(("change", "field"), [
    ({"courriel": "pas-un-courriel"}, "courriel"),
    ({"date_naissance": "12/04/1990"}, "date_naissance"),
    ({"date_naissance": "2999-01-01"}, "date_naissance"),
    ({"code_postal_naissance": "6900"}, "code_postal_naissance"),
    ({"civilite": "docteur"}, "civilite"),
    ({"nom": 12}, "nom"),
])
def test_identite_formats(change: dict, field: str) -> None:
    assert set(fields_of("identite", {**IDENTITE, **change})) == {field}


def test_postcode_is_free_outside_france() -> None:
    cleaned = steps.check("identite", {**IDENTITE, "pays_naissance": "Belgique", "code_postal_naissance": "1000"})
    assert cleaned["code_postal_naissance"] == "1000"


def test_password_rules() -> None:
    assert fields_of("mot_de_passe", {}) == {"mot_de_passe": "« Mot de passe » est obligatoire."}
    assert fields_of("mot_de_passe", {"mot_de_passe": "abc12", "confirmation": "abc12"}) == {
        "mot_de_passe": "Le mot de passe doit contenir au minimum 6 caractères."}
    assert set(fields_of("mot_de_passe", {"mot_de_passe": "abcdef", "confirmation": "abcdeg"})) == {"confirmation"}
    assert steps.check("mot_de_passe", {"mot_de_passe": "abcdef", "confirmation": "abcdef", "envoyer": True})[
        "envoyer"] is True


def test_informations_required_and_coordonnees_optional() -> None:
    assert set(fields_of("informations", {})) == {"statut", "financement"}
    assert steps.check("coordonnees", {})["telephone"] == ""
    assert set(fields_of("coordonnees", {"code_postal": "abc"})) == {"code_postal"}
    with pytest.raises(ValidationFailed):
        steps.check("coordonnees", {}, coordonnees_required=True)


def test_seed_cart_figures_to_the_cent() -> None:
    cart = catalogue.cart({"PART-CLR-EXAMEN": 10, "PART-LAPOSTE-EXAMEN": 10})
    nbsp = "\u00a0"
    assert [line["amount_ht"] for line in cart["lines"]] == [f"710,00{nbsp}€", f"1{nbsp}000,00{nbsp}€"]
    assert (cart["subtotal_ht"], cart["tva"], cart["total_ttc"]) == (
        f"1{nbsp}710,00{nbsp}€", f"342,00{nbsp}€", f"2{nbsp}052,00{nbsp}€")


@pytest.mark.parametrize("quantities", [{"PART-CLR-EXAMEN": -1}, {"PART-CLR-EXAMEN": "3"},
                                        {"PART-CLR-EXAMEN": True}, {"INCONNU": 1}])
def test_cart_refuses_bad_quantities(quantities: dict) -> None:
    with pytest.raises(ValidationFailed) as caught:
        catalogue.cart(quantities)
    assert caught.value.errors[0].field in quantities
