"""The RdvPermis client against the real simulator: contract, faults, no duplicate booking."""

from __future__ import annotations

import datetime as dt

import pytest

from plugins.passerelle_examens.providers.base import ExamProvider, ExamProviderError
from plugins.passerelle_examens.providers.rdvpermis import RdvPermisProvider, week_search
from plugins.passerelle_examens.simulators.rdvpermis import DEPARTEMENTS, State, answer_link

pytestmark = pytest.mark.nodb
MONDAY = dt.date(2027, 3, 1)


async def mandated(provider: RdvPermisProvider, neph: str = "123456789012") -> None:
    """The candidate's mandate for this school, accepted through the simulator's link (as booking requires)."""
    asked = await provider.mandate(neph, "eleve@exemple.fr")
    await answer_link(asked.confirm_url, "accepter")


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
    await mandated(provider)
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
    await mandated(provider)
    booking = await provider.book(slot.slot_id, "123456789012", "key-c")
    await provider.cancel(booking.booking_id)
    await provider.cancel(booking.booking_id)  # RdvPermis no longer knows it: already cancelled
    assert await provider.planning() == [] and state.taken[slot.slot_id] == 0
    again = [s for s in await provider.week_sessions("69-V1", MONDAY) if s.slot_id == slot.slot_id]
    assert again and again[0].free_places == slot.free_places
    await provider.aclose()


async def test_a_booking_needs_the_candidates_confirmed_mandate_for_this_school(rdvpermis: tuple[str, State]) -> None:
    """Like the real RdvPermis: no mandate, a mandate not yet accepted, refused, revoked or given to another
    school → 403 on POST /bookings, which the client says in French; nothing is booked."""
    url, state = rdvpermis
    provider = RdvPermisProvider(url, "tilleuls", "secret-tilleuls")
    other = RdvPermisProvider(url, "platanes", "secret-platanes")
    slot = (await provider.week_sessions("69-V1", MONDAY))[0]

    async def refused(who: RdvPermisProvider, neph: str, key: str) -> None:
        with pytest.raises(ExamProviderError, match="pas de mandat confirmé pour votre auto-école") as err:
            await who.book(slot.slot_id, neph, key)
        assert err.value.code == "mandate" and not err.value.retryable

    await refused(provider, "111111111111", "none")
    asked = await provider.mandate("111111111111", "a@exemple.fr")
    await refused(provider, "111111111111", "requested")
    await answer_link(asked.confirm_url, "refuser")
    await refused(provider, "111111111111", "refused")
    await mandated(provider, "222222222222")
    await refused(other, "222222222222", "other-school")
    assert (await provider.book(slot.slot_id, "222222222222", "ok")).neph == "222222222222"
    await provider.revoke_mandate("222222222222")
    await refused(provider, "222222222222", "revoked")
    assert len(state.bookings) == 1 and state.taken[slot.slot_id] == 1
    await provider.aclose()
    await other.aclose()


async def test_the_state_is_kept_across_a_restart(tmp_path, monkeypatch) -> None:
    """`socle sim …` keeps mandates, bookings, places taken and tokens in SOCLE_DATA_DIR/simulateurs/."""
    from plugins.passerelle_examens.providers.printel import PrintelProvider
    from plugins.passerelle_examens.simulators.serve import kept_app
    from tests.plugins.passerelle_examens.conftest import serve

    monkeypatch.setenv("SOCLE_DATA_DIR", str(tmp_path))
    with serve(kept_app("rdvpermis")) as url:
        provider = RdvPermisProvider(url, "tilleuls", "secret-tilleuls")
        slot = (await provider.week_sessions("69-V1", MONDAY))[0]
        await mandated(provider)
        booking = await provider.book(slot.slot_id, "123456789012", "kept")
        await provider.aclose()
    assert (tmp_path / "simulateurs" / "rdvpermis.json").exists()
    with serve(kept_app("rdvpermis")) as url:
        again = RdvPermisProvider(url, "tilleuls", "secret-tilleuls")
        assert await again.planning() == [booking]
        assert (await again.read_mandate("123456789012")).state == "confirmed"
        assert [s.free_places for s in await again.week_sessions("69-V1", MONDAY)
                if s.slot_id == slot.slot_id] in ([], [slot.free_places - 1])
        await again.cancel(booking.booking_id)
        assert await again.planning() == []
        await again.aclose()
    with serve(kept_app("printel")) as url:
        printel = PrintelProvider(url, "socle", "printel-socle")
        assert await printel.capture()
        await printel.aclose()
    kept = kept_app("printel").state.sim
    assert [login for login, _ in kept.tokens.values()] == ["socle"]
