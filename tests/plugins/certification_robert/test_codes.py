"""Activation codes: distinct over 100 000 draws, typeable (no 0/O/1/I), three groups of four."""

import re

import pytest

from plugins.certification_robert.services.codes import ALPHABET, activation_code, activation_codes

pytestmark = pytest.mark.nodb


def test_100000_codes_are_unique_and_easy_to_type() -> None:
    drawn = [activation_code() for _ in range(100_000)]
    assert len(set(drawn)) == 100_000
    assert not set("0O1I") & set("".join(drawn))
    assert all(re.fullmatch(f"[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}", c) for c in drawn[:1000])
    assert len(set(activation_codes(500))) == 500
