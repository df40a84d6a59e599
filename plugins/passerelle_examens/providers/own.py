"""The providers this module registers through its own published hook: RdvPermis and Printel, opened for one
office with that office's settings (credentials in clear here only, never shown back). RdvPermis' client is
kept per office between calls (services/gateway.py), Printel's is opened for each use."""

from __future__ import annotations

from core.plugin_api import Platform
from plugins.passerelle_examens.providers.base import ExamProvider, ExamProviderEntry
from plugins.passerelle_examens.providers.printel import PrintelProvider
from plugins.passerelle_examens.providers.rdvpermis import RdvPermisProvider


def entries(platform: Platform) -> list[ExamProviderEntry]:
    async def rdvpermis(organisation_id: int, office_id: int) -> ExamProvider:
        from plugins.passerelle_examens.services import gateway  # the office's cached client (pool, token)

        s = await platform.office_settings(organisation_id, office_id)
        return gateway.shared(s)  # type: ignore[return-value]

    async def printel(organisation_id: int, office_id: int) -> ExamProvider:
        s = await platform.office_settings(organisation_id, office_id)
        return PrintelProvider(s.printel_url, s.printel_login, s.printel_password)  # type: ignore[return-value]

    return [ExamProviderEntry("rdvpermis", RdvPermisProvider.label, RdvPermisProvider.capabilities, rdvpermis),
            ExamProviderEntry("printel", PrintelProvider.label, PrintelProvider.capabilities, printel)]
