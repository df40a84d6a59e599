"""Per-office health of modules and their circuit breaker (plugin API 1.1). No Litestar here.

A failure of a module's hook, job or provider call for an office is recorded in `core_plugin_problem` (one row
per office, module and subject while it fails; the next success of a job or provider call deletes it). After
`breaker_failures` failures within `breaker_window_seconds` the breaker opens: that job or provider call waits
`breaker_pause_seconds` (the worker postpones it without counting an attempt), then one try goes through —
its success closes the breaker, its failure opens it again. The office's admins see each problem in French
(dashboard card, « Modules installés ») and the audit log records each opening.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from core import audit, db
from core.config import Settings
from core.jobs.registry import Postponed
from core.plugin_settings.tables import PluginProblem
from core.plugins.records import scrub_paths

log = logging.getLogger("socle.plugins.health")
T = TypeVar("T")
P = PluginProblem
PARIS = ZoneInfo("Europe/Paris")
MAX_ERROR = 500
HOOK_SHOWN = timedelta(days=1)


class Paused(Postponed):
    """The breaker is open for this office: try again at `until` (the worker postpones the message)."""


@dataclass(frozen=True, slots=True)
class Problem:
    plugin: str
    subject: str
    label: str
    failures: int
    total: int
    since: datetime
    last_at: datetime
    last_error: str
    open_until: datetime | None

    @property
    def paused(self) -> bool:
        return self.open_until is not None and self.open_until > datetime.now(UTC)

    def sentence(self, title: str) -> str:
        """« Le module « X » (le fournisseur « Alpha SMS ») échoue depuis 14:02 : <erreur>. »"""
        since = self.since.astimezone(PARIS)
        text = (f"Le module « {title} » ({self.label}) échoue depuis {since:%H:%M}"
                + (f" le {since:%d/%m}" if since.date() != datetime.now(PARIS).date() else "")
                + f" ({self.total} échec{'s' if self.total > 1 else ''}) : {self.last_error}")
        if self.paused:
            assert self.open_until is not None
            text += (f" Envois en pause jusqu'à {self.open_until.astimezone(PARIS):%H:%M}, puis nouvel essai "
                     "automatique.")
        return text


def _now() -> datetime:
    return datetime.now(UTC)


def _quote(text: str) -> str:
    return text.replace("'", "''")


def _where(office_id: int, plugin: str, subject: str) -> Any:
    return (P.office == office_id) & (P.plugin == plugin) & (P.subject == subject)


async def paused_until(office_id: int, plugin: str, subject: str) -> datetime | None:
    """When the breaker of that subject is open for the office, until when."""
    row = await P.select(P.open_until).where(_where(office_id, plugin, subject)).first()
    until = row["open_until"] if row else None
    return until if until is not None and until > _now() else None


async def record_failure(settings: Settings, organisation_id: int, office_id: int, plugin: str, subject: str,
                         label: str, error: BaseException | str, *, breaker: bool = True) -> bool:
    """Count a failure (in a transaction of its own, after the caller's when inside one). Returns whether the
    breaker is now open (never with `breaker=False`: hooks are recorded, not paused)."""
    message = scrub_paths(error if isinstance(error, str) else (str(error) or type(error).__name__))[:MAX_ERROR]
    if db.in_write_transaction():
        async def later() -> None:
            await _failure(settings, organisation_id, office_id, plugin, subject, label, message, breaker)
        db.after_commit(later)
        db.after_rollback(later)
        return False
    return await _failure(settings, organisation_id, office_id, plugin, subject, label, message, breaker)


async def _failure(settings: Settings, organisation_id: int, office_id: int, plugin: str, subject: str,
                   label: str, message: str, breaker: bool = True) -> bool:
    moment = _now()
    window = timedelta(seconds=settings.breaker_window_seconds)
    async with db.write_transaction():
        if db.is_postgres():  # one row per (office, plugin, subject) even when two workers fail at once
            await db.engine().run_ddl(f"SELECT pg_advisory_xact_lock({int(office_id)}, "
                                      f"hashtext('{_quote(plugin + ':' + subject)}'))")
        row = await P.objects().where(_where(office_id, plugin, subject)).first()
        if row is None:
            row = P(organisation=organisation_id, office=office_id, plugin=plugin, subject=subject, failures=0,
                    window_start=moment, since=moment, total=0)
        if moment - row.window_start > window:
            row.failures, row.window_start = 0, moment
        was_open = row.open_until is not None  # a failed try after a pause opens it again at once
        row.failures += 1
        row.total += 1
        row.label, row.last_at, row.last_error = label[:200], moment, message
        opens = breaker and (was_open or row.failures >= settings.breaker_failures)
        if opens:
            row.open_until = moment + timedelta(seconds=settings.breaker_pause_seconds)
        await row.save()
        if opens and not was_open:
            log.warning("plugin %s, bureau %s : %s en pause (%s échecs)", plugin, office_id, subject, row.failures)
            await audit.record("plugin.breaker.opened", organisation_id=organisation_id, target=f"{plugin}@{office_id}",
                               summary=f"Module {plugin} : {label} en pause après {row.failures} échecs "
                                       f"({message})", details={"plugin": plugin, "subject": subject})
            from core.plugins.breaker_mail import tell_owners

            assert row.open_until is not None
            await tell_owners(settings, organisation_id, office_id, plugin, subject, label, row.failures, message,
                              row.open_until)
    return opens


async def record_success(office_id: int, plugin: str, subject: str) -> None:
    """The subject works again for the office: its problem is gone and its breaker closed."""
    await P.delete().where(_where(office_id, plugin, subject))


async def guard(settings: Settings, organisation_id: int, office_id: int, plugin: str, subject: str, label: str,
                call: Callable[[], Awaitable[T]]) -> T:
    """Run `call` behind the office's breaker for (plugin, subject): Paused while open; failures counted,
    a success closes it."""
    until = await paused_until(office_id, plugin, subject)
    if until is not None:
        raise Paused(f"{label} en pause pour ce bureau jusqu'à {until.astimezone(PARIS):%H:%M} "
                     "(échecs répétés)", until)
    try:
        result = await call()
    except Exception as error:
        await record_failure(settings, organisation_id, office_id, plugin, subject, label, error)
        raise
    await record_success(office_id, plugin, subject)
    return result


def _problem(row: dict[str, Any]) -> Problem:
    return Problem(row["plugin"], row["subject"], row["label"], row["failures"], row["total"], row["since"],
                   row["last_at"], row["last_error"], row["open_until"])


def _current(organisation_id: int) -> Any:
    """A hook has no success to close its problem: it is shown for a day after its last failure."""
    recent = _now() - HOOK_SHOWN
    return (P.organisation == organisation_id) & (P.subject.not_like("hook:%") | (P.last_at >= recent))


async def problems(organisation_id: int, office_id: int | None = None) -> list[Problem]:
    """An organisation's current problems (one office's with `office_id`), most recent first."""
    where = _current(organisation_id)
    if office_id is not None:
        where = where & (P.office == office_id)
    return [_problem(row) for row in await P.select().where(where).order_by(P.last_at, ascending=False)]


async def problems_by_office(organisation_id: int) -> dict[int, list[Problem]]:
    found: dict[int, list[Problem]] = {}
    for row in await P.select().where(_current(organisation_id)).order_by(P.last_at, ascending=False):
        found.setdefault(row["office"], []).append(_problem(row))
    return found
