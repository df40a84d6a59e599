"""Two test plugins, each registering an "sms" provider that records what it is asked to send."""

ALPHA = '''
from typing import Annotated
import msgspec
from core.plugin_api import SECRET, JobSpec, Manifest, Provider, hookimpl

MANIFEST = Manifest(id="sms_alpha", title="SMS Alpha", api=">=1.1,<2")
SENT = []
FAIL = []  # put a message here to make the provider raise it


class AlphaSettings(msgspec.Struct, kw_only=True):
    sender: Annotated[str, msgspec.Meta(title="Expéditeur", max_length=11)] = "SOCLE"
    api_key: Annotated[str, msgspec.Meta(title="Clé d'API", max_length=80), SECRET] = ""


class Alpha:
    async def send(self, message):
        if FAIL:
            raise RuntimeError(FAIL[0])
        SENT.append(message)


async def sync(payload):
    if FAIL:
        raise RuntimeError(FAIL[0])
    SENT.append(("sync", payload["office_id"]))


@hookimpl
def register_jobs(platform):
    return [JobSpec("sms_alpha.sync", sync)]


@hookimpl
def register_providers(platform):
    return [Provider(kind="sms", key="sms_alpha.alpha", label="Alpha SMS", implementation=Alpha(),
                     settings=AlphaSettings)]
'''

BETA = '''
from core.plugin_api import Manifest, Provider, ProviderKind, hookimpl

MANIFEST = Manifest(id="sms_beta", title="SMS Bêta", api=">=1.1,<2",
                    provider_kinds=(ProviderKind(key="exam", label="Passerelle d'examens"),))
SENT = []


class Beta:
    async def send(self, message):
        SENT.append(message)


class ExamGateway:
    async def book(self, candidate):
        return f"réservé : {candidate}"


@hookimpl
def on_event(event):
    if event.office_id is not None:
        raise RuntimeError("passerelle injoignable")


@hookimpl
def register_providers(platform):
    return [Provider(kind="sms", key="sms_beta.beta", label="Bêta SMS", implementation=Beta()),
            Provider(kind="exam", key="sms_beta.exams", label="Examens Bêta", implementation=ExamGateway()),
            Provider(kind="nope", key="sms_beta.nope", label="Type inconnu", implementation=Beta())]
'''


def sent(plugin_id: str) -> list:
    import sys

    return sys.modules[f"socle_test_{plugin_id}.hooks"].SENT
