"""The core calendar API's policy (core.calendar.ownership): a module's objects are the module's; outside
the opening hours is an admin's decision. In process (`via=None`, a module's services) everything goes."""

import pytest

from core.calendar.ownership import ApiCall, ModuleOwned, check_change, check_new_booking, check_outside_hours
from core.errors import Forbidden
from core.tenancy.roles import Role

pytestmark = pytest.mark.nodb
API = ApiCall.of(Role.owner, ["rdv_service_public", "alpha"])


@pytest.mark.parametrize("kind", ["booking", "rule", "closure"])
def test_the_api_leaves_module_objects_to_their_module(kind):
    with pytest.raises(ModuleOwned, match=r"gérée? par le module « alpha »") as raised:
        check_change(kind, "alpha", API)
    assert raised.value.status_code == 403
    check_change(kind, "alpha", None)  # the module itself, in process
    check_change(kind, "", API)  # made through the API
    check_change(kind, "crm", API)  # an outside system, not a module


def test_the_api_cannot_book_in_a_modules_name():
    with pytest.raises(ModuleOwned) as raised:
        check_new_booking("rdv_service_public", API)
    assert [e.field for e in raised.value.errors] == ["source_plugin"]
    check_new_booking("crm", API)
    check_new_booking("rdv_service_public", None)


@pytest.mark.parametrize(("role", "allowed"), [(Role.basic, False), (Role.admin, True), (Role.owner, True)])
def test_outside_hours_through_the_api_is_for_admins(role, allowed):
    via = ApiCall.of(role, [])
    check_outside_hours(False, via)
    check_outside_hours(True, None)
    if allowed:
        check_outside_hours(True, via)
    else:
        with pytest.raises(Forbidden) as raised:
            check_outside_hours(True, via)
        assert raised.value.errors[0].field == "allow_outside_hours"
