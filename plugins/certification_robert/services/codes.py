"""Activation codes of supervised (centre agréé) certifications: drawn with `secrets` (60 bits, so
unguessable), from an alphabet without the look-alikes 0/O and 1/I, written in three groups of four
(« K7QX-M2ZA-P9RT ») so that a candidate can type them from a printed sheet. The column is unique: a
collision (about one chance in 10¹⁰ per 100 000 codes) makes the insert fail instead of sharing a code."""

from __future__ import annotations

import secrets

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # 32 symbols: no 0, O, 1, I
GROUPS, GROUP_SIZE = 3, 4


def activation_code() -> str:
    bits = secrets.randbits(5 * GROUPS * GROUP_SIZE)  # 32 symbols = 5 bits each, uniform
    chars = "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in range(GROUPS * GROUP_SIZE))
    return "-".join(chars[i:i + GROUP_SIZE] for i in range(0, len(chars), GROUP_SIZE))


def activation_codes(n: int) -> list[str]:
    """`n` distinct codes."""
    codes: dict[str, None] = {}
    while len(codes) < n:
        codes[activation_code()] = None
    return list(codes)
