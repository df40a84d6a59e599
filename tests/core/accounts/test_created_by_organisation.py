"""`Platform.create_account` (API 1.3): a module creates the account of a person its staff registers with a
password (seed 002); the person signs in with it and lands on « Mon espace »; an existing account is never
touched; bad input names the field; the creation is audited in the organisation's log."""

import pytest

from core.auth.tables import AuditEntry
from core.errors import ValidationFailed
from core.tenancy.tables import User
from core.testing.fixtures import PASSWORD, login
from tests.core.accounts.helpers import sign_up


async def test_module_creates_an_unverified_account_the_person_signs_in_with(app, client, settings, make_org):
    from core import db

    org = await make_org("Centre de langues Molière")
    platform = app.state.plugins.platform("alpha")
    async with db.write_transaction():
        user_id = await platform.create_account("Lea@Exemple.fr", "robert", full_name="Léa Martin",
                                                organisation_id=org.organisation_id)
    assert user_id is not None
    await login(client, "lea@exemple.fr", "robert")
    home = await client.get("/mon-espace/")
    assert home.status_code == 200 and "Léa Martin" in home.text and "pas encore confirmée" in home.text
    [entry] = await AuditEntry.select().where(AuditEntry.action == "account.created_by_organisation")
    assert entry["organisation"] == org.organisation_id and "alpha" in entry["summary"]

    client.cookies.clear()
    await sign_up(client, settings, "zoe@exemple.fr")
    before = (await User.objects().get(User.email == "zoe@exemple.fr")).password_hash
    assert await platform.create_account("zoe@exemple.fr", "autre-mot") is None
    assert (await User.objects().get(User.email == "zoe@exemple.fr")).password_hash == before
    client.cookies.clear()
    await login(client, "zoe@exemple.fr", PASSWORD)

    for email, password, field in (("pas-un-courriel", "robert", "email"), ("x@exemple.fr", "court", "password")):
        with pytest.raises(ValidationFailed) as refused:
            await platform.create_account(email, password)
        assert [e.field for e in refused.value.errors] == [field]
    assert not await User.exists().where(User.email == "x@exemple.fr")


async def test_the_creating_organisation_corrects_the_email_and_nobody_else(app, client, settings, make_org,
                                                                           add_member):
    """`Platform.change_account_email` (API 1.4): only the organisation that created the account, only while the
    person has not taken it over; another account's address is refused naming `email`; audited."""
    from core import db

    org, rival = await make_org("Centre Molière"), await make_org("Centre Rival")
    platform = app.state.plugins.platform("alpha")
    async with db.write_transaction():
        user_id = await platform.create_account("typo@exemple.fr", "robert", organisation_id=org.organisation_id)
    assert user_id is not None

    async def refused(email: str, organisation_id: int) -> str:
        before = (await User.objects().get(User.id == user_id)).email
        with pytest.raises(ValidationFailed) as error:
            async with db.write_transaction():
                await platform.change_account_email(user_id, email, organisation_id=organisation_id)
        assert [e.field for e in error.value.errors] == ["email"]
        assert (await User.objects().get(User.id == user_id)).email == before
        return error.value.errors[0].message

    assert "gère elle-même" in await refused("lea@exemple.fr", rival.organisation_id)  # not the creator
    assert "autre compte" in await refused(org.owner_email, org.organisation_id)
    async with db.write_transaction():
        assert await platform.change_account_email(user_id, " Lea@Exemple.fr ",
                                                   organisation_id=org.organisation_id) == "lea@exemple.fr"
    await login(client, "lea@exemple.fr", "robert")
    entry = await AuditEntry.objects().where(AuditEntry.action == "account.email_changed_by_organisation").first()
    assert entry is not None and entry.organisation == org.organisation_id and entry.target == f"user:{user_id}"

    await add_member(rival, "basic", email="lea@exemple.fr")  # the person now works somewhere: theirs
    assert "gère elle-même" in await refused("lea2@exemple.fr", org.organisation_id)
