"""Results of the certification (seed 002: a candidate with a score is « passée »). They come from the
certifier's exam platform (signed JSON, services.signature) or from a CSV the partner imports
(services.results_csv); both go through `record`: every entry is checked first, and on any error nothing is
written. A recorded result moves the candidate to « Passée » with the exam date, and queues the job that
renders the attestation PDF (a core document the candidate gets in « Mon espace »), and emails the candidate
that a result is available (services.result_mail, without the score)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from core.plugin_api import Conflict, FieldError, ValidationFailed, write_transaction
from plugins.certification_robert.services import result_mail
from plugins.certification_robert.services.common import Ctx
from plugins.certification_robert.services.signature import WINDOW
from plugins.certification_robert.tables import Candidate, InboundReceipt, Result

LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")  # the CEFR levels the score maps to
MAX_SCORE = 990
MAX_ENTRIES = 5000
RESULT_STATUSES = ("en_attente", "prevue", "passee")  # a certification was assigned (or a result corrected)
JOB = "certification_robert.attestations"
CHUNK = 100


@dataclass(frozen=True, slots=True)
class Entry:
    email: str
    score: int
    level: str
    passed_on: date


def parse_score(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    return value if isinstance(value, int) and 0 <= value <= MAX_SCORE else None


def parse_day(value: Any) -> date | None:
    text = str(value or "").strip()
    try:
        if len(text) == 10 and text[2] == "/" and text[5] == "/":
            return date(int(text[6:]), int(text[3:5]), int(text[:2]))
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


MESSAGES = {
    "email": "Indiquez le courriel du candidat.",
    "score": f"Le score est un nombre entier de 0 à {MAX_SCORE}.",
    "level": "Le niveau est l'un de " + ", ".join(LEVELS) + ".",
    "passed_on": "La date de passage est une date valide (AAAA-MM-JJ ou JJ/MM/AAAA), pas dans le futur.",
}


def check(raw: dict[str, Any]) -> tuple[Entry | None, list[str]]:
    """One entry's checked values, or the names of its refused fields."""
    email = str(raw.get("email") or "").strip().lower()
    score = parse_score(raw.get("score"))
    level = str(raw.get("level") or "").strip().upper()
    day = parse_day(raw.get("passed_on"))
    bad = [name for name, ok in (("email", "@" in email and len(email) <= 254), ("score", score is not None),
                                 ("level", level in LEVELS), ("passed_on", day is not None and day <= date.today()))
           if not ok]
    if bad:
        return None, bad
    return Entry(email, score, level, day), []  # type: ignore[arg-type]


def entries_from_json(body: Any) -> list[Entry]:
    """The signed body `{"results": [{"email", "score", "level", "passed_on"}, …]}`; 422 naming each field."""
    items = body.get("results") if isinstance(body, dict) else None
    if not isinstance(items, list) or not items or len(items) > MAX_ENTRIES:
        raise ValidationFailed.on("results", f"« results » est une liste de 1 à {MAX_ENTRIES} résultats.")
    errors: list[FieldError] = []
    entries: list[Entry] = []
    for i, item in enumerate(items):
        entry, bad = check(item if isinstance(item, dict) else {})
        errors += [FieldError(f"results[{i}].{name}", MESSAGES[name]) for name in bad]
        if entry is not None:
            entries.append(entry)
    if errors:
        raise ValidationFailed("Certains résultats sont invalides : aucun n'a été enregistré.", errors)
    return entries


async def _candidates(c: Ctx, entries: list[Entry]) -> dict[str, dict[str, Any]]:
    emails = sorted({e.email for e in entries})
    found: dict[str, dict[str, Any]] = {}
    for i in range(0, len(emails), 500):
        rows = await Candidate.select(Candidate.id, Candidate.email, Candidate.status, Candidate.first_name).where(
            (Candidate.organisation == c.organisation_id) & (Candidate.office == c.office_id)
            & Candidate.email.is_in(emails[i:i + 500]))
        found.update({r["email"]: r for r in rows})
    return found


def unknown(entries: list[Entry], found: dict[str, dict[str, Any]]) -> list[tuple[int, str]]:
    """(index, message) of entries whose candidate is not in this office or has no certification."""
    problems = []
    for i, e in enumerate(entries):
        row = found.get(e.email)
        if row is None:
            problems.append((i, "Aucun candidat de ce bureau n'a ce courriel."))
        elif row["status"] not in RESULT_STATUSES:
            problems.append((i, "Ce candidat n'a pas de certification attribuée."))
    return problems


async def record(c: Ctx, entries: list[Entry], source: str, receipt: tuple[str, int] | None = None,
                 located: Any = None) -> int:
    """Write the results (all or none); `receipt` (digest, timestamp) refuses a replayed signed request (409);
    `located(index, message)` turns a candidate problem into the caller's error (default: `results[i].email`)."""
    async with write_transaction():
        if receipt is not None:
            if await InboundReceipt.exists().where(InboundReceipt.digest == receipt[0]):
                raise Conflict("Ces résultats ont déjà été reçus (requête rejouée).")
            # receipts older than twice the window cannot match a request the window still accepts
            await InboundReceipt.delete().where(InboundReceipt.received_at < receipt[1] - 2 * WINDOW)
            try:
                await InboundReceipt.insert(InboundReceipt(office=c.office_id, digest=receipt[0],
                                                           received_at=receipt[1]))
            except Exception as error:  # a concurrent copy of the same request won the unique index
                if "unique" in str(error).lower() or "duplicate" in str(error).lower():
                    raise Conflict("Ces résultats ont déjà été reçus (requête rejouée).") from None
                raise
        found = await _candidates(c, entries)
        problems = unknown(entries, found)
        if problems:
            raise ValidationFailed("Certains résultats sont invalides : aucun n'a été enregistré.",
                                   [located(i, m) if located else FieldError(f"results[{i}].email", m)
                                    for i, m in problems])
        latest = {e.email: e for e in entries}  # the same candidate twice: the last line wins
        ids = [found[email]["id"] for email in latest]
        before = {r["candidate"]: (r["score"], r["level"], r["passed_on"]) for r in await Result.select(
            Result.candidate, Result.score, Result.level, Result.passed_on).where(
            Result.candidate.is_in(ids) & (Result.organisation == c.organisation_id))}
        await Result.delete().where(Result.candidate.is_in(ids) & (Result.organisation == c.organisation_id))
        rows = await Result.insert(*[
            Result(organisation=c.organisation_id, office=c.office_id, candidate=found[e.email]["id"],
                   score=e.score, level=e.level, passed_on=e.passed_on, source=source)
            for e in latest.values()]).returning(Result.id, Result.candidate)
        result_of = {r["candidate"]: r["id"] for r in rows}  # RETURNING's order is not the VALUES' order
        await result_mail.queue(c.organisation_id, [
            (found[e.email], e.passed_on, result_of[found[e.email]["id"]], found[e.email]["id"] in before)
            for e in latest.values() if before.get(found[e.email]["id"]) != (e.score, e.level, e.passed_on)])
        by_day: dict[date, list[int]] = {}
        for e in latest.values():
            by_day.setdefault(e.passed_on, []).append(found[e.email]["id"])
        for day, same in by_day.items():
            await Candidate.update({Candidate.status: "passee", Candidate.exam_date: day}).where(
                Candidate.id.is_in(same))
        await schedule([r["id"] for r in rows], c)
    return len(latest)


async def schedule(result_ids: list[int], c: Ctx) -> None:
    from plugins.certification_robert.runtime import platform

    for i in range(0, len(result_ids), CHUNK):
        chunk = result_ids[i:i + CHUNK]
        await platform().schedule_job(JOB, {"result_ids": chunk}, organisation_id=c.organisation_id,
                                      key=f"{JOB}:{chunk[0]}:{len(chunk)}")


async def of_candidates(organisation_id: int, candidate_ids: list[int]) -> dict[int, dict[str, Any]]:
    if not candidate_ids:
        return {}
    rows = await Result.select().where((Result.organisation == organisation_id)
                                       & Result.candidate.is_in(candidate_ids))
    return {r["candidate"]: r for r in rows}


async def recent(c: Ctx, limit: int = 100) -> list[dict[str, Any]]:
    """The office's results, latest first, with the candidate's name and email (the partner's view)."""
    rows = await Result.select().where((Result.organisation == c.organisation_id) & (Result.office == c.office_id)
                                       ).order_by(Result.id, ascending=False).limit(limit)
    people = {p["id"]: p for p in await Candidate.select(Candidate.id, Candidate.last_name, Candidate.first_name,
                                                         Candidate.email).where(
        Candidate.id.is_in([r["candidate"] for r in rows]))} if rows else {}
    return [{"candidate_id": r["candidate"], "nom": f"{people[r['candidate']]['last_name'].upper()} "
             f"{people[r['candidate']]['first_name']}".strip(), "courriel": people[r["candidate"]]["email"],
             "score": r["score"], "niveau": r["level"], "date": r["passed_on"].isoformat(), "source": r["source"],
             "attestation": r["document"] is not None} for r in rows if r["candidate"] in people]
