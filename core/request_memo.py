"""Answers read once per request. Inside `remembering()` — each plugin request (core.plugins.mount) — reads a
request repeats are kept for its task: an office's active modules (the gate, then `validate_booking` and the
booking's events ask three times) and the organisation's public details (the gate, then the email). Writers
of those records `forget` them; outside `remembering()` nothing is kept."""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_memo: ContextVar[dict[Hashable, Any] | None] = ContextVar("socle_request_memo", default=None)
MISSING: Any = object()


@contextmanager
def remembering() -> Iterator[None]:
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def recall(key: Hashable) -> Any:
    """The value kept for `key` in this request, or MISSING."""
    memo = _memo.get()
    return MISSING if memo is None else memo.get(key, MISSING)


def keep(key: Hashable, value: Any) -> None:
    memo = _memo.get()
    if memo is not None:
        memo[key] = value


def forget(key: Hashable) -> None:
    memo = _memo.get()
    if memo is not None:
        memo.pop(key, None)


def active() -> bool:
    return _memo.get() is not None
