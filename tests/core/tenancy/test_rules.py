"""Pure rules: role order, slugs, field checks."""

import pytest

from core.errors import ValidationFailed
from core.tenancy.roles import Role
from core.tenancy.services import slugify
from core.tenancy.validation import Checker

pytestmark = pytest.mark.nodb


def test_roles_are_ordered():
    assert Role.owner.at_least(Role.admin) and Role.admin.at_least(Role.basic)
    assert not Role.basic.at_least(Role.admin)
    assert not Role.intervenant.at_least(Role.basic)
    assert Role.owner.label == "Gérant"


@pytest.mark.parametrize(("name", "slug"), [
    ("Auto-école des Tilleuls", "auto-ecole-des-tilleuls"),
    ("Mairie de Saint-Étienne", "mairie-de-saint-etienne"),
    ("  !!  ", "organisation"),
])
def test_slugify(name, slug):
    assert slugify(name) == slug


def test_checker_collects_every_field_error():
    check = Checker()
    check.email("email", "nope")
    check.siret("siret", "123")
    check.timezone("timezone", "Europe/Atlantis")
    assert check.siret("siret2", "123 456 789 00012") == "12345678900012"
    with pytest.raises(ValidationFailed) as raised:
        check.done()
    assert [e.field for e in raised.value.errors] == ["email", "siret", "timezone"]
