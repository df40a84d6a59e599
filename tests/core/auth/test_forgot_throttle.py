"""« Mot de passe oublié » is throttled per address and per IP, like the login: a flood sends a bounded
number of emails (counted on a real SMTP server on loopback)."""

import pytest

from core.auth import services
from core.errors import TooManyRequests
from core.testing.fixtures import csrf_token, deliver_outbox, smtp_to


@pytest.fixture
def smtp_settings(smtp_server):
    return smtp_to(smtp_server)


async def forgot(client, email: str):
    token = await csrf_token(client, "/password/forgot")
    return await client.post("/password/forgot", data={"email": email, "_csrf_token": token})


async def test_ten_requests_for_one_address_send_at_most_three_emails(client, make_org, settings, smtp_server):
    org = await make_org()
    statuses = [(await forgot(client, org.owner_email)).status_code for _ in range(10)]
    assert statuses == [302] * 3 + [429] * 7
    refused = await forgot(client, org.owner_email.upper())  # the same address, written differently
    assert refused.status_code == 429
    assert "Trop de demandes de réinitialisation. Réessayez dans quelques minutes." in refused.text
    await deliver_outbox(settings)
    assert [m["To"] for m in smtp_server.messages] == [org.owner_email] * 3


async def test_one_ip_is_refused_after_ten_requests_whatever_the_addresses(client, make_org, settings,
                                                                           smtp_server):
    org = await make_org()
    for n in range(9):
        assert (await forgot(client, f"inconnu{n}@example.org")).status_code == 302
    assert (await forgot(client, org.owner_email)).status_code == 302
    assert (await forgot(client, "encore@example.org")).status_code == 429
    assert (await forgot(client, org.owner_email)).status_code == 429
    await deliver_outbox(settings)
    assert [m["To"] for m in smtp_server.messages] == [org.owner_email]


async def test_the_throttle_does_not_tell_whether_the_account_exists(make_org):
    """Unknown and known addresses are counted and refused the same way."""
    org = await make_org()
    for email in (org.owner_email, "personne@example.org"):
        for _ in range(3):
            await services.request_password_reset(email, "192.0.2.1")
        with pytest.raises(TooManyRequests) as refused:
            await services.request_password_reset(email, "192.0.2.2")
        assert refused.value.message == services.RESET_THROTTLED


async def test_old_requests_no_longer_count(make_org):
    org = await make_org()
    for _ in range(3):
        await services.request_password_reset(org.owner_email, "192.0.2.1", window_seconds=3600)
    assert await services.request_password_reset(org.owner_email, "192.0.2.1", window_seconds=0) is not None
