"""The manual registration in three steps (seed 003), kept server-side per member and office: step 1 the
session, step 2 the lines (add, edit, delete), step 3 Vérifier then Importer. Importer is allowed only
when the last successful Vérifier saw exactly the current draft: any edit clears it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from plugins.formation_cqc.services.controls import Issue, LineIn, Report, check_registration, parse_date
from plugins.formation_cqc.services.rules import Agrement, Profile, TrainingType
from plugins.formation_cqc.tables import Draft as DraftRow

LINE_FIELDS = ("reference", "order_number", "first_name", "last_name", "birth_date", "licence")


@dataclass(slots=True)
class Draft:
    training: str = ""
    label: str = ""
    profile: str = Profile.conducteur.value  # formateur/moniteur: manual only (seed 003)
    centre_pays: bool = False  # formateur/moniteur: the centre pays their CQC fee
    end_date: str = ""
    lines: list[dict[str, str]] = field(default_factory=list)
    verified: str = ""  # fingerprint of the draft at its last successful Vérifier
    issues: list[dict[str, Any]] = field(default_factory=list)  # the last Vérifier's errors and warnings

    def fingerprint(self) -> str:
        content = json.dumps([self.training, self.label, self.end_date, self.lines, self.profile,
                              self.centre_pays], sort_keys=True)
        return hashlib.sha256(content.encode()).hexdigest()

    @property
    def can_import(self) -> bool:
        return bool(self.lines) and self.verified == self.fingerprint()

    def set_session(self, training: str, label: str, end_date: str) -> None:
        self.training, self.label, self.end_date = training.strip(), " ".join(label.split())[:200], end_date.strip()
        self.verified, self.issues = "", []

    def set_profile(self, profile: Profile, centre_pays: bool) -> None:
        """« Nouvel enregistrement » › profile: the lines stay, the verification does not; only a formateur or
        moniteur registration carries the centre's choice about their CQC fee."""
        self.profile = profile.value
        self.centre_pays = centre_pays and profile is not Profile.conducteur
        self.verified, self.issues = "", []

    def profile_type(self) -> Profile:
        return Profile(self.profile) if self.profile in Profile.__members__ else Profile.conducteur

    def put_line(self, index: int | None, values: dict[str, Any]) -> None:
        line = {name: str(values.get(name, "")).strip()[:100] for name in LINE_FIELDS}
        if index is None or not 0 <= index < len(self.lines):
            self.lines.append(line)
        else:
            self.lines[index] = line
        self.verified, self.issues = "", []

    def delete_line(self, index: int) -> None:
        if 0 <= index < len(self.lines):
            del self.lines[index]
        self.verified, self.issues = "", []

    def training_type(self) -> TrainingType | None:
        try:
            return TrainingType(self.training)
        except ValueError:
            return None

    def end(self) -> date | None:
        return parse_date(self.end_date) if self.end_date else None

    def check(self, agrements: list[Agrement], today: date, **lookups: Any) -> Report:
        """Vérifier: every control; a clean report (warnings allowed) marks this exact draft as verified."""
        report = check_registration(self.training_type(), self.end(), [LineIn(**line) for line in self.lines],
                                    agrements=agrements, today=today, **lookups)
        if not self.label:
            report.issues.insert(0, Issue(None, "label", "", "Indiquez le libellé de la formation."))
        self.verified = self.fingerprint() if report.ok else ""
        self.issues = [asdict(issue) for issue in report.issues]
        return report


async def load(office_id: int, member_id: int) -> Draft:
    row = await DraftRow.objects().where((DraftRow.office == office_id) & (DraftRow.member == member_id)).first()
    if row is None:
        return Draft()
    data = json.loads(row.payload or "{}")
    return Draft(**{k: v for k, v in data.items() if k in Draft.__dataclass_fields__})


async def save(organisation_id: int, office_id: int, member_id: int, draft: Draft) -> None:
    payload = json.dumps(asdict(draft))
    row = await DraftRow.objects().where((DraftRow.office == office_id) & (DraftRow.member == member_id)).first()
    if row is None:
        await DraftRow.insert(DraftRow(organisation=organisation_id, office=office_id, member=member_id,
                                       payload=payload)).run()
    else:
        await DraftRow.update({DraftRow.payload: payload}).where(DraftRow.id == row.id)


async def discard(office_id: int, member_id: int) -> None:
    await DraftRow.delete().where((DraftRow.office == office_id) & (DraftRow.member == member_id))
