"""Booking-delay rules as data: a change of law is a change of this table, not of the code.

Source: arrêté du 27 avril 2021 (values as given in MODULES.md). Each rule: the event in the student's
history, an optional points range for failed practical exams, the minimum number of days before the
next exam date.

An event no rule covers (a failed exam outside 21–25 points, any event of a category without rules) sets no
waiting period: neither the seed nor MODULES.md gives one and none is invented here. The user is told so
(`Verdict.notes`), so an élève offered right after such a fail is not a silent gap.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

Event = Literal["theory_pass", "practical_fail", "no_show", "late_cancellation"]
SOURCE = "arrêté du 27 avril 2021"


@dataclass(frozen=True, slots=True)
class DelayRule:
    category: str
    event: Event
    days: int
    reason: str
    min_points: int | None = None
    max_points: int | None = None
    source: str = SOURCE


RULES: tuple[DelayRule, ...] = (
    DelayRule("B", "theory_pass", 2, "Code obtenu il y a moins de 2 jours"),
    DelayRule("B", "practical_fail", 10, "Échec à l'examen pratique (21 à 25 points)", 21, 25),
    DelayRule("B", "no_show", 40, "Absence à l'examen"),
    DelayRule("B", "late_cancellation", 30, "Annulation tardive"),
)


@dataclass(frozen=True, slots=True)
class HistoryEvent:
    event: Event
    day: dt.date
    points: int | None = None


@dataclass(frozen=True, slots=True)
class Verdict:
    allowed: bool
    earliest: dt.date | None
    reason: str
    notes: tuple[str, ...] = ()  # events of the history that set no waiting period, in French


EVENT_LABELS = {"theory_pass": "Code obtenu", "practical_fail": "Échec à l'examen pratique",
                "no_show": "Absence à l'examen", "late_cancellation": "Annulation tardive"}


def _note(category: str, item: HistoryEvent, rules: tuple[DelayRule, ...]) -> str:
    """Why `item` sets no waiting period (it matched no rule)."""
    what = EVENT_LABELS[item.event] + (f" ({item.points} points)" if item.points is not None else "")
    ranges = [f"{r.min_points} à {r.max_points} points" for r in rules
              if r.category == category and r.event == item.event and r.min_points is not None]
    why = (f"la table des délais, {SOURCE}, n'en prévoit qu'après un échec de {' ou '.join(ranges)}" if ranges
           else f"la table des délais, {SOURCE}, n'en prévoit aucun pour la catégorie {category}")
    return f"{what} le {item.day.strftime('%d/%m/%Y')} : aucun délai d'attente ne s'applique ({why})"


def _applies(rule: DelayRule, category: str, item: HistoryEvent) -> bool:
    if rule.category != category or rule.event != item.event:
        return False
    if rule.min_points is None:
        return True
    return item.points is not None and rule.min_points <= item.points <= (rule.max_points or item.points)


def check(category: str, history: list[HistoryEvent], exam_day: dt.date,
          rules: tuple[DelayRule, ...] = RULES) -> Verdict:
    """May a student of ``category`` with ``history`` sit an exam on ``exam_day``? The latest bound wins."""
    earliest: dt.date | None = None
    reason = ""
    notes: list[str] = []
    for item in history:
        matched = [rule for rule in rules if _applies(rule, category, item)]
        if not matched:
            notes.append(_note(category, item, rules))
        for rule in matched:
            bound = item.day + dt.timedelta(days=rule.days)
            if earliest is None or bound > earliest:
                earliest, reason = bound, rule.reason
    if earliest is None or exam_day >= earliest:
        return Verdict(True, earliest, "", tuple(notes))
    return Verdict(False, earliest, f"{reason} : possible à partir du {earliest.strftime('%d/%m/%Y')}",
                   tuple(notes))


LATE_CANCELLATION_DAYS = 7  # a cancellation less than 7 days before the exam is late (same source)
