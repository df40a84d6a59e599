"""« Voir comme »: an operator reads an organisation's pages as its owner, only with the owner's consent.

The owner grants a time-limited consent in « Ma configuration » (and may withdraw it). With a consent running,
an operator starts a visit from the console: the browser's session then carries the visit's key next to the
operator's own, and `core.auth.guards.current_actor` answers the consenting owner as the actor, read-only —
any request other than GET/HEAD is refused (403) before a handler runs, every page shows the banner
« Vous consultez en tant qu'opérateur », and the start and the end of each visit are audited on the
organisation's log, as is every page read (`operator.view_page`). The visit ends with the operator's
« Terminer », the operator's logout, the consent's end or withdrawal, whichever comes first. Only the office
switcher (it writes to the browser's session, not to the data) stays usable while reading.

« Mon espace » (/mon-espace/…) is outside the visit: it is the personal space of the people an organisation
serves (citizens, pupils, candidates), not one of the organisation's pages, and the owner's consent is not
theirs. During a visit its pages answer 403 with `PERSONAL_SPACE` (audited as `operator.view_refused`) instead of
the login page (where signing in would end the operator's session)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from core import audit, db
from core.errors import Forbidden, ValidationFailed
from core.operators import totp
from core.operators.tables import Operator, ViewConsent, ViewSession
from core.tenancy.actor import Actor
from core.tenancy.roles import Role

SESSION_KEY = "op_view"
DURATIONS = {"1": "1 heure", "24": "24 heures", "72": "3 jours"}
READ_ONLY = "Lecture seule : vous consultez en tant qu'opérateur, aucune modification n'est possible."
NO_CONSENT = "Le gérant n'a pas donné (ou plus) son accord pour « voir comme » : consultation refusée."
PERSONAL_SPACE = ("« Voir comme » ne couvre pas « Mon espace » : c'est l'espace personnel des personnes que "
                  "l'organisation sert (citoyens, élèves, candidats), pas une page de l'organisation, et l'accord "
                  "du gérant ne vaut pas le leur. Consultation refusée.")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SESSION_ONLY = frozenset({"/switch/office"})  # writes to the browser's session only: allowed while reading


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Visit:
    operator_email: str
    organisation_id: int
    expires_at: datetime


async def running_consent(organisation_id: int) -> ViewConsent | None:
    return await ViewConsent.objects().where(
        (ViewConsent.organisation == organisation_id) & ViewConsent.revoked_at.is_null()
        & (ViewConsent.expires_at > _now())).order_by(ViewConsent.id, ascending=False).first()


async def grant(actor: Actor, hours: str, ip: str = "") -> ViewConsent:
    if hours not in DURATIONS:
        raise ValidationFailed.on("hours", "Choisissez une durée de la liste.")
    actor.require(Role.owner)
    async with db.write_transaction():
        await _revoke(actor.organisation_id)
        consent = ViewConsent(organisation=actor.organisation_id, member=actor.member_id,
                              expires_at=_now() + timedelta(hours=int(hours)))
        await consent.save()
        await audit.record("view_consent.granted", organisation_id=actor.organisation_id, ip=ip,
                           actor_user_id=actor.user_id, target=f"view_consent:{consent.id}",
                           summary=f"Accord « voir comme » donné à l'opérateur pour {DURATIONS[hours]}")
    return consent


async def revoke(actor: Actor, ip: str = "") -> None:
    actor.require(Role.owner)
    async with db.write_transaction():
        if await _revoke(actor.organisation_id):
            await audit.record("view_consent.revoked", organisation_id=actor.organisation_id, ip=ip,
                               actor_user_id=actor.user_id, summary="Accord « voir comme » retiré")


async def _revoke(organisation_id: int) -> int:
    rows = await ViewConsent.update({ViewConsent.revoked_at: _now()}).where(
        (ViewConsent.organisation == organisation_id) & ViewConsent.revoked_at.is_null()
        & (ViewConsent.expires_at > _now())).returning(ViewConsent.id)
    return len(rows)


async def start(operator: Operator, organisation_id: int, ip: str = "") -> str:
    """Open a visit (Forbidden without a running consent); returns the key the session keeps."""
    consent = await running_consent(organisation_id)
    if consent is None:
        await audit.record("operator.view_refused", organisation_id=organisation_id, ip=ip,
                           summary=f"« Voir comme » refusé à l'opérateur {operator.email} (pas d'accord du gérant)")
        raise Forbidden(NO_CONSENT)
    key = secrets.token_urlsafe(32)
    async with db.write_transaction():
        await ViewSession(key_hash=totp.digest(key), operator=operator.id, consent=consent.id).save()
        await audit.record("operator.view_started", organisation_id=organisation_id, ip=ip,
                           target=f"view_consent:{consent.id}",
                           summary=f"L'opérateur {operator.email} consulte l'organisation comme son gérant "
                                   "(lecture seule)")
    return key


async def end(key: str, ip: str = "") -> int | None:
    """Close the visit of this key; the organisation's id, or None when there was none open."""
    if not key:
        return None
    async with db.write_transaction():
        rows = await ViewSession.update({ViewSession.ended_at: _now()}).where(
            (ViewSession.key_hash == totp.digest(key)) & ViewSession.ended_at.is_null()).returning(
            ViewSession.consent, ViewSession.operator)
        if not rows:
            return None
        consent = await ViewConsent.objects().where(ViewConsent.id == rows[0]["consent"]).first()
        operator = await Operator.objects().where(Operator.id == rows[0]["operator"]).first()
        if consent is None:
            return None
        await audit.record("operator.view_ended", organisation_id=int(consent.organisation), ip=ip,
                           target=f"view_consent:{consent.id}",
                           summary=f"Fin de la consultation par l'opérateur {operator.email if operator else ''}")
    return int(consent.organisation)


_VISIT_SQL = """
    SELECT m.id, m.display_name, m.role, m.organisation, u.id AS uid, u.email, c.expires_at, o.email AS op_email
    FROM core_operator_view_session v
    JOIN core_operator_view_consent c ON c.id = v.consent
    JOIN core_operator o ON o.id = v.operator
    JOIN core_member m ON m.id = c.member
    JOIN core_user u ON u.id = m."user"
    WHERE v.key_hash = {} AND v.ended_at IS NULL AND c.revoked_at IS NULL AND c.expires_at > {} AND o.active
      AND v.operator = {}
"""


async def actor_for_visit(session: dict[str, Any], method: str, path: str = "") -> tuple[Actor, Visit] | None:
    """The consenting owner as a read-only actor, when the session carries an open visit of its logged-in
    operator (Forbidden for a write)."""
    from core.operators.accounts import SESSION_KEY as OPERATOR_KEY
    from core.operators.accounts import operator_for_session

    key = str(session.get(SESSION_KEY) or "")
    if not key:
        return None
    operator = await operator_for_session(str(session.get(OPERATOR_KEY) or ""))
    if operator is None:
        return None
    rows = await db.fetch(_VISIT_SQL, totp.digest(key), _now(), operator.id)
    if not rows:
        return None
    row = rows[0]
    if method.upper() not in SAFE_METHODS and path not in SESSION_ONLY:
        raise Forbidden(READ_ONLY)
    actor = Actor(row["uid"], row["email"], row["id"], row["organisation"], Role(row["role"]), row["display_name"])
    if method.upper() == "GET":  # every page read is on the organisation's log
        await audit.record("operator.view_page", organisation_id=actor.organisation_id, target=path[:200],
                           summary=f"Page consultée par l'opérateur {row['op_email']} : {path[:200]}")
    return actor, Visit(row["op_email"], row["organisation"], row["expires_at"])


async def refuse_personal_space(session: object, path: str) -> None:
    """Forbidden (audited) when this browser carries an open visit and no signed-in person of its own: « Mon
    espace » is never shown through « voir comme » (see the module's docstring)."""
    from core.operators.accounts import SESSION_KEY as OPERATOR_KEY
    from core.operators.accounts import operator_for_session

    if not isinstance(session, dict) or session.get("uid") or not session.get(SESSION_KEY):
        return
    operator = await operator_for_session(str(session.get(OPERATOR_KEY) or ""))
    if operator is None:
        return
    rows = await db.fetch(_VISIT_SQL, totp.digest(str(session[SESSION_KEY])), _now(), operator.id)
    if not rows:
        return
    await audit.record("operator.view_refused", organisation_id=rows[0]["organisation"], target=path[:200],
                       summary=f"« Voir comme » : « Mon espace » refusé à l'opérateur {operator.email} ({path[:200]})")
    raise Forbidden(PERSONAL_SPACE)
