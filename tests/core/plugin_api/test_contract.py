"""The plugin API contract: every hookspec is documented in docs/plugins.md with its exact signature,
every hook is implemented by the full test plugin and exercised by a named test; the public names exist."""

import importlib
import inspect
from pathlib import Path

import pytest

import core.plugin_api
from core.plugin_api import hookspecs
from tests.core.plugins import sources

pytestmark = pytest.mark.nodb

DOCS = Path(__file__).resolve().parents[3] / "docs" / "plugins.md"

# hook → the test that shows it working (a new hook fails this contract until it has one)
EXERCISED_BY = {
    "register_routes": "tests.core.plugins.test_gating::test_role_below_the_declared_permission_is_refused",
    "register_api_routes": "tests.core.plugins.test_gating::test_api_route_answers_only_where_the_module_is_active",
    "register_public_routes": "tests.core.plugins.test_gating::test_public_routes_are_gated_by_activation",
    "register_permissions": "tests.core.plugins.test_hooks::test_permissions_from_manifest_and_hook_are_registered",
    "register_menu_items": "tests.core.plugins.test_hooks::test_menu_hook_is_called_only_for_the_office_where_active",
    "register_dashboard_widgets":
        "tests.core.plugins.test_gating::test_menu_and_widget_only_in_the_office_where_active",
    "register_calendar_sources":
        "tests.core.plugins.test_hooks::test_calendar_sources_and_jobs_are_collected_from_healthy_plugins",
    "register_jobs": "tests.core.plugins.test_hooks::test_calendar_sources_and_jobs_are_collected_from_healthy_plugins",
    "register_cli_commands": "tests.core.plugins.test_cli::test_plugins_list_and_run",
    "on_module_activated":
        "tests.core.plugins.test_hooks::test_activation_deactivation_and_events_reach_only_the_concerned_plugins",
    "on_module_deactivated":
        "tests.core.plugins.test_hooks::test_activation_deactivation_and_events_reach_only_the_concerned_plugins",
    "on_event":
        "tests.core.plugins.test_hooks::test_activation_deactivation_and_events_reach_only_the_concerned_plugins",
    "register_organisation_public_routes":
        "tests.plugins.rdv_service_public.test_public::test_inactive_module_means_not_found",
    "load_demo": "tests.plugins.rdv_service_public.test_demo::test_demo_town_hall",
    "validate_booking":
        "tests.core.plugin_api.test_validators::test_a_refused_booking_shows_the_message_and_leaves_nothing",
    "validate_order": "tests.core.plugin_api.test_validators::test_a_refused_order_is_not_placed",
    "register_providers": "tests.core.providers.test_sms_providers::test_two_offices_send_through_their_own_provider",
    "on_module_purge":
        "tests.plugins.rdv_service_public.test_purge::test_purge_removes_only_that_offices_rows_and_frees_its_agendas",
    "register_account_routes": "tests.core.accounts.test_module_hooks::test_module_account_routes_need_a_login",
    "register_account_sections": "tests.core.accounts.test_module_hooks::test_home_lists_each_healthy_module_section",
    "export_account_data": "tests.core.accounts.test_data::test_export_contains_each_module_section",
    "erase_account": "tests.core.accounts.test_data::test_erase_calls_every_module_and_stops_the_login",
    "render_slot": "tests.core.plugins.test_slots::test_slots_render_escaped_only_where_the_module_is_active",
}


# hooks published by the shipped modules (MANIFEST.hookspecs, API 1.3) → the test that shows each working
PUBLISHED_EXERCISED_BY = {
    "register_exam_providers":
        "tests.plugins.passerelle_examens.test_providers::test_the_module_lists_its_own_providers_and_searches_through_one",
}


def published_hook_specs() -> dict[str, inspect.Signature]:
    from core.plugins.loader import entry_points, published_specs

    found = {}
    for ep in entry_points():
        manifest = getattr(ep.load(), "MANIFEST", None)
        if manifest is not None and manifest.hookspecs:
            specs = published_specs(importlib.import_module(manifest.hookspecs))
            assert all((fn.__doc__ or "").strip() for fn in specs.values()), f"{ep.name}: a hook has no docstring"
            found.update({name: inspect.signature(fn) for name, fn in specs.items()})
    return found


def test_every_published_hook_is_documented_and_exercised():
    docs = DOCS.read_text()
    specs = published_hook_specs()
    assert set(specs) == set(PUBLISHED_EXERCISED_BY)
    for name, signature in specs.items():
        assert documented_signature(name, signature) in docs, f"{name}: exact signature missing from docs/plugins.md"
        assert f"### {name}\n" in docs, f"no section for {name}"
    for hook, target in PUBLISHED_EXERCISED_BY.items():
        module_name, function = target.split("::")
        assert callable(getattr(importlib.import_module(module_name), function, None)), f"{hook}: {target} missing"


def hook_specs() -> dict[str, inspect.Signature]:
    return {name: inspect.signature(fn) for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
            if hasattr(fn, "socle_spec")}


def documented_signature(name: str, signature: inspect.Signature) -> str:
    params = ", ".join(f"{p.name}: {p.annotation}" for p in signature.parameters.values())
    return f"def {name}({params}) -> {signature.return_annotation}"


def test_every_hook_is_documented_with_its_exact_signature():
    docs = DOCS.read_text()
    specs = hook_specs()
    assert len(specs) >= 12
    missing = [documented_signature(n, s) for n, s in specs.items() if documented_signature(n, s) not in docs]
    assert missing == [], "hooks missing from docs/plugins.md (exact signature):\n" + "\n".join(missing)
    for name in specs:
        assert f"### {name}\n" in docs, f"no section for {name}"


def test_every_hook_has_a_test_and_the_full_test_plugin_implements_it():
    specs = hook_specs()
    assert set(EXERCISED_BY) == set(specs)
    for hook, target in EXERCISED_BY.items():
        module_name, function = target.split("::")
        assert callable(getattr(importlib.import_module(module_name), function, None)), f"{hook}: {target} missing"
        assert f"def {hook}(" in sources.FULL, f"the full test plugin does not implement {hook}"


def test_every_public_event_is_documented_under_on_event():
    events = [name for name in core.plugin_api.__all__ if inspect.isclass(getattr(core.plugin_api, name))
              and issubclass(getattr(core.plugin_api, name), core.plugin_api.Event) and name != "Event"]
    assert {"OrderPlaced", "BookingCreated", "BookingMoved", "BookingCancelled"} <= set(events)
    section = DOCS.read_text().split("### on_event\n", 1)[1].split("\n### ", 1)[0]
    missing = [name for name in events if f"| `{name}`" not in section and f"/ `{name}`" not in section]
    assert missing == [], f"events missing from the on_event table of docs/plugins.md: {missing}"


def test_hook_docstrings_and_public_names():
    for name, fn in inspect.getmembers(hookspecs, inspect.isfunction):
        if hasattr(fn, "socle_spec"):
            assert (fn.__doc__ or "").strip(), f"{name} has no docstring"
    assert core.plugin_api.PLUGIN_API_VERSION == "1.4"
    for name in core.plugin_api.__all__:
        assert hasattr(core.plugin_api, name), name
