"""How a settings Struct becomes a form and how values are checked, without a database: field kinds and
labels, declared order of Literal choices, optional fields, form strings converted (comma decimals, empty
optional → None), a Struct with a required field or a non-Struct refused as settings."""

import enum
from typing import Annotated, Literal

import msgspec
import pytest

from core.errors import ValidationFailed
from core.plugin_settings.fields import field_specs
from core.plugin_settings.services import decode, settings_type, validate

pytestmark = pytest.mark.nodb


class Colour(enum.Enum):
    red = "rouge"
    blue = "bleu"


class Sample(msgspec.Struct, kw_only=True):
    title: Annotated[str | None, msgspec.Meta(title="Titre")] = None
    ratio: Annotated[float, msgspec.Meta(ge=0, le=1)] = 0.5
    size: Literal["petit", "grand", "moyen"] = "petit"
    colour: Colour | None = None
    tags: list[str] = []


def test_field_kinds_labels_and_choices():
    specs = {s.name: s for s in field_specs(Sample)}
    assert {n: s.kind for n, s in specs.items()} == {"title": "text", "ratio": "decimal", "size": "select",
                                                     "colour": "select", "tags": "other"}
    assert specs["title"].label == "Titre" and specs["title"].optional
    assert specs["ratio"].label == "Ratio" and not specs["ratio"].optional
    assert specs["size"].choices == ("petit", "grand", "moyen")  # declaration order, not sorted
    assert specs["colour"].choices == ("rouge", "bleu") and specs["colour"].optional


def test_form_values_are_converted():
    saved = validate(Sample, Sample(), {"title": "", "ratio": "0,25", "size": "moyen", "colour": "bleu"},
                     from_form=True)
    assert saved == Sample(title=None, ratio=0.25, size="moyen", colour=Colour.blue)
    with pytest.raises(ValidationFailed) as refused:
        validate(Sample, Sample(), {"ratio": "2", "colour": "vert"}, from_form=True)
    assert [(e.field, e.message) for e in refused.value.errors] == [
        ("ratio", "Saisissez un nombre entre 0 et 1."),
        ("colour", "Choisissez une des valeurs proposées : rouge, bleu.")]


def test_decode_keeps_valid_values_and_drops_the_rest():
    assert decode(Sample, {"ratio": 0.9, "size": "énorme", "tags": ["a"], "gone": 1}) == Sample(ratio=0.9,
                                                                                               tags=["a"])


def test_only_structs_with_defaults_are_settings():
    class Required(msgspec.Struct):
        name: str

    assert settings_type(Sample) is Sample
    assert settings_type(Required) is None and settings_type(dict) is None and settings_type(None) is None
