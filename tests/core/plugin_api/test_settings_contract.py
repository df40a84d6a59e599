"""The settings methods of the platform facade are documented in docs/plugins.md with their exact signature."""

import inspect
from pathlib import Path

import pytest

from core.plugin_api import Platform

pytestmark = pytest.mark.nodb

DOCS = Path(__file__).resolve().parents[3] / "docs" / "plugins.md"


@pytest.mark.parametrize("name", ["office_settings", "save_office_settings"])
def test_settings_methods_are_documented_with_their_exact_signature(name):
    method = getattr(Platform, name)
    signature = inspect.signature(method)
    params = ", ".join(p.name if p.name == "self" else f"{p.name}: {p.annotation}"
                       for p in signature.parameters.values())
    documented = f"async def {name}({params}) -> {signature.return_annotation}"
    assert inspect.iscoroutinefunction(method)
    assert documented in DOCS.read_text(), documented
