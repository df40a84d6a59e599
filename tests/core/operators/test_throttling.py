"""Operator logins are throttled per e-mail address: after 5 refusals in 15 minutes, the same message for every
try (the right password and code included), audited; another address is not affected; the window passes."""

import time

import pyotp
import pytest

from core.auth.tables import AuditEntry
from core.errors import NotAuthenticated
from core.operators import accounts
from core.operators.tables import OperatorLoginFailure
from tests.core.operators.test_operators import OP_PASSWORD, _op_login


async def test_five_failures_block_the_address_with_the_same_message(client):
    new = await accounts.create_operator("ops@socle.test", OP_PASSWORD)
    other = await accounts.create_operator("autre@socle.test", OP_PASSWORD)
    token = pyotp.TOTP(new.secret)
    for _ in range(5):
        refused = await _op_login(client, new.email.upper(), "")  # no second factor
        assert refused.status_code == 401 and accounts.WRONG in refused.text.replace("&#39;", "'")
    blocked = await _op_login(client, new.email, token.now())  # right password and code: still refused
    assert blocked.status_code == 401 and accounts.WRONG in blocked.text.replace("&#39;", "'")
    assert (await client.get("/operateur/")).status_code == 404
    entry = await AuditEntry.objects().where(AuditEntry.action == "operator.login_throttled").first()
    assert entry is not None and "ops@socle.test" in entry.summary
    # Another operator logs in; unknown addresses are counted too (no hint of which exist).
    assert (await _op_login(client, other.email, pyotp.TOTP(other.secret).now())).status_code in (302, 303)
    for _ in range(5):
        with pytest.raises(NotAuthenticated):
            await accounts.authenticate("inconnu@socle.test", "x", "")
    assert await OperatorLoginFailure.count().where(OperatorLoginFailure.email == "inconnu@socle.test") == 5


async def test_the_window_passes(app):
    new = await accounts.create_operator("ops@socle.test", OP_PASSWORD)
    start = time.time() - 3600
    for n in range(5):
        with pytest.raises(NotAuthenticated):
            await accounts.authenticate(new.email, "mauvais", "", now=start + n)
    with pytest.raises(NotAuthenticated):  # within the window: blocked
        await accounts.authenticate(new.email, OP_PASSWORD, pyotp.TOTP(new.secret).at(start + 60), now=start + 60)
    later = start + 16 * 60
    operator = await accounts.authenticate(new.email, OP_PASSWORD, pyotp.TOTP(new.secret).at(later), now=later)
    assert operator.email == new.email
