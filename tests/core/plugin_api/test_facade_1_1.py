"""The 1.1 facade method and value types for providers are public and documented with their exact signature."""

import inspect
from pathlib import Path

import pytest

import core.plugin_api
from core.plugin_api.platform import Platform

pytestmark = pytest.mark.nodb

DOCS = Path(__file__).resolve().parents[3] / "docs" / "plugins.md"


def test_office_provider_is_documented_with_its_exact_signature():
    signature = inspect.signature(Platform.office_provider)
    params = ", ".join(f"{p.name}: {p.annotation}" if p.name != "self" else "self"
                       for p in signature.parameters.values())
    assert f"async def office_provider({params}) -> {signature.return_annotation}" in DOCS.read_text()


def test_provider_types_are_public():
    for name in ("Provider", "ProviderKind", "SmsMessage"):
        assert name in core.plugin_api.__all__
        assert f"`{name}`" in DOCS.read_text()
    assert "provider_kinds" in core.plugin_api.Manifest.__struct_fields__
