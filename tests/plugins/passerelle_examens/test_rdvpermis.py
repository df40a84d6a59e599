"""The RdvPermis client against the real simulator: contract, faults, no duplicate booking."""

from __future__ import annotations

import datetime as dt

import pytest

from plugins.passerelle_examens.providers.base import ExamProvider, ExamProviderError
from plugins.passerelle_examens.providers.rdvpermis import RdvPermisProvider, week_search
from plugins.passerelle_examens.simulators.rdvpermis import DEPARTEMENTS, State

pytestmark = pytest.mark.nodb
MONDAY = dt.date(2027, 3, 1)


def test_simulator_has_the_101_departements() -> None:
    assert len(DEPARTEMENTS) == 101 and "2A" in DEPARTEMENTS and "976" in DEPARTEMENTS


async def test_search_and_sorted_week(rdvpermis: tuple[str, State]) -> None:
    url, _ = rdvpermis
    provider = RdvPermisProvider(url, "tilleuls", "secret-tilleuls")
    assert isinstance(provider, ExamProvider)
    centres = await provider.search_centres("69", "voiture")
    assert centres and all(c.departement == "69" and c.exam_type == "voiture" for c in centres)
    slots = await week_search(provider, [c.id for c in centres], MONDAY)
    assert slots and [(s.day, s.centre_id, s.inspector) for s in slots] == sorted(
        (s.day, s.centre_id, s.inspector) for s in slots)
    await provider.aclose()


async def test_bad_credentials_give_a_french_message(rdvpermis: tuple[str, State]) -> None:
    url, _ = rdvpermis
    provider = RdvPermisProvider(url, "tilleuls", "wrong")
    with pytest.raises(ExamProviderError, match="identifiants RdvPermis") as err:
        await provider.search_centres("69", "voiture")
    assert err.value.code == "credentials"
    await provider.aclose()


async def test_5xx_and_429_are_retried_a_bounded_number_of_times(rdvpermis: tuple[str, State]) -> None:
    url, state = rdvpermis
    provider = RdvPermisProvider(url, "tilleuls", "secret-tilleuls")
    state.faults.errors_5xx = 1
    state.faults.rate_limited = 1
    assert await provider.search_centres("01", "moto")
    state.faults.errors_5xx = 10
    with pytest.raises(ExamProviderError, match="momentanément indisponible"):
        await provider.search_centres("01", "moto")
    await provider.aclose()


async def test_lost_booking_answer_is_reconciled_never_duplicated(rdvpermis: tuple[str, State]) -> None:
    url, state = rdvpermis
    provider = RdvPermisProvider(url, "tilleuls", "secret-tilleuls", timeout=0.5)
    slot = (await provider.week_sessions("69-V1", MONDAY))[0]
    state.faults.hang_seconds = 1.0
    state.faults.lose_booking_answer = 1
    booking = await provider.book(slot.slot_id, "123456789012", "key-1")
    assert booking.slot_id == slot.slot_id
    assert len(await provider.planning()) == 1
    again = await provider.book(slot.slot_id, "123456789012", "key-1")
    assert again.booking_id == booking.booking_id and len(await provider.planning()) == 1
    await provider.aclose()


async def test_cancel_frees_the_place_and_a_retried_cancel_is_harmless(rdvpermis: tuple[str, State]) -> None:
    url, state = rdvpermis
    provider = RdvPermisProvider(url, "tilleuls", "secret-tilleuls")
    assert "cancel" in provider.capabilities
    slot = (await provider.week_sessions("69-V1", MONDAY))[0]
    assert slot.start.strftime("%H:%M") in ("08:30", "10:00", "13:30", "15:00")
    booking = await provider.book(slot.slot_id, "123456789012", "key-c")
    await provider.cancel(booking.booking_id)
    await provider.cancel(booking.booking_id)  # RdvPermis no longer knows it: already cancelled
    assert await provider.planning() == [] and state.taken[slot.slot_id] == 0
    again = [s for s in await provider.week_sessions("69-V1", MONDAY) if s.slot_id == slot.slot_id]
    assert again and again[0].free_places == slot.free_places
    await provider.aclose()
