"""Documents: stored with their SHA-256, downloaded by the linked person or the office's staff only,
never outside the storage folder, purged past keep_until with an audit entry."""

import hashlib
from datetime import date, timedelta

import pytest

from core.auth.tables import AuditEntry
from core.documents import FileStorage, purge_expired, safe_filename, store
from core.documents.tables import Document
from core.tenancy.tables import User
from core.testing.fixtures import login
from tests.core.accounts.helpers import sign_up

PDF = b"%PDF-1.7 faux contenu"


async def _store(org, **extra):
    values = {"organisation_id": org.organisation_id, "office_id": org.office_id, "module": "alpha",
              "kind": "attestation", "title": "Attestation de fin de formation", "filename": "attestation-zoé.pdf",
              "content": PDF, "content_type": "application/pdf", "keep_until": date.today() + timedelta(days=365),
              **extra}
    return await store(**values)


async def test_stored_document_has_its_digest_and_bytes_on_disk(client, settings, make_org):
    org = await make_org("Centre Éole")
    info = await _store(org)
    assert info.sha256 == hashlib.sha256(PDF).hexdigest() and info.size == len(PDF)
    row = await Document.objects().get(Document.id == info.id)
    path = settings.data_dir / "documents" / row.storage_key
    assert path.read_bytes() == PDF


async def test_the_linked_person_downloads_it_and_nobody_else(client, settings, make_org):
    org = await make_org("Centre Éole")
    await sign_up(client, settings, "zoe@example.org")
    zoe = await User.objects().get(User.email == "zoe@example.org")
    mine = await _store(org, user_id=zoe.id)
    other = await _store(org, title="Attestation d'un autre")
    listing = await client.get("/mon-espace/documents")
    assert "Attestation de fin de formation" in listing.text and "un autre" not in listing.text
    response = await client.get(f"/mon-espace/documents/{mine.id}")
    assert response.status_code == 200 and response.content == PDF
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == (
        "attachment; filename=\"attestation-zo_.pdf\"; filename*=UTF-8''attestation-zo%C3%A9.pdf")
    for wrong in (other.id, 999_999, "../../secret", "1%2F..%2F..", "abc"):
        assert (await client.get(f"/mon-espace/documents/{wrong}")).status_code == 404, wrong


async def test_staff_of_the_office_download_and_another_organisation_cannot(client, make_org, add_member):
    org = await make_org("Centre Éole")
    info = await _store(org)
    await login(client, org.owner_email)
    ok = await client.get(f"/documents/{info.id}")
    assert ok.status_code == 200 and ok.content == PDF
    _, agent = await add_member(org, "basic", office_ids=[])  # a member who sees no office
    client.cookies.clear()
    await login(client, agent)
    assert (await client.get(f"/documents/{info.id}")).status_code == 404
    rival = await make_org("Centre Rival")
    client.cookies.clear()
    await login(client, rival.owner_email)
    refused = await client.get(f"/documents/{info.id}")
    assert refused.status_code == 404
    assert PDF not in refused.content


async def test_retention_purge_deletes_the_file_and_audits(client, settings, make_org):
    org = await make_org("Centre Éole")
    old = await _store(org, keep_until=date.today() - timedelta(days=1), title="Relevé périmé")
    kept = await _store(org, keep_until=date.today())
    old_key = (await Document.objects().get(Document.id == old.id)).storage_key
    assert await purge_expired() == 1
    assert not await Document.exists().where(Document.id == old.id)
    assert await Document.exists().where(Document.id == kept.id)
    assert not (settings.data_dir / "documents" / old_key).exists()
    entry = await AuditEntry.objects().where(AuditEntry.action == "documents.purged").first()
    assert entry is not None and entry.organisation == org.organisation_id
    assert entry.target == f"document:{old.id}" and "Relevé périmé" in entry.summary


async def test_the_worker_runs_the_purge_periodically(client, settings, app, make_org):
    from core.testing.fixtures import deliver_outbox

    org = await make_org("Centre Éole")
    old = await _store(org, keep_until=date.today() - timedelta(days=30))
    assert "core.documents.purge" in app.state.jobs.periodic
    await deliver_outbox(settings, app.state.jobs)
    assert not await Document.exists().where(Document.id == old.id)


@pytest.mark.nodb
@pytest.mark.parametrize("key", ["../etc/passwd", "ab/../../x", "/abs/olute", "ab/" + "0" * 31 + "g", "ab\\cd"])
def test_file_storage_refuses_keys_it_did_not_make(tmp_path, key):
    with pytest.raises(ValueError):
        FileStorage(tmp_path).path(key)


@pytest.mark.nodb
@pytest.mark.parametrize(("given", "kept"), [("../../etc/passwd", "passwd"), ('a"b;c.pdf', "abc.pdf"),
                                             ("C:\\x\\relevé.pdf", "relevé.pdf"), ("\x00\n", "document")])
def test_filenames_keep_only_a_safe_last_segment(given, kept):
    assert safe_filename(given) == kept


async def test_a_module_stores_through_its_platform_and_its_read_permission_applies(client, app, make_org,
                                                                                   add_member):
    from core.auth.services import actor_for
    from core.documents import read_for_staff
    from core.errors import NotFound
    from core.tenancy.roles import Role

    org = await make_org("Centre Éole")
    info = await app.state.plugins.platform("alpha").store_document(
        organisation_id=org.organisation_id, office_id=org.office_id, kind="relevé", title="Relevé de notes",
        filename="relevé.pdf", content=PDF, content_type="application/pdf", keep_until=date.today())
    assert info.module == "alpha" and info.user_id is None
    member_id, _ = await add_member(org, "basic")
    from core.tenancy.tables import Member

    basic = await actor_for((await Member.objects().get(Member.id == member_id)).user, org.organisation_id)
    found, content = await read_for_staff(basic, info.id, lambda module: Role.basic)
    assert found.id == info.id and content == PDF
    with pytest.raises(NotFound):  # a module whose `<id>.read` is for admins: a basic agent gets nothing
        await read_for_staff(basic, info.id, lambda module: Role.admin)
    from core.grants.tables import PermissionGrant
    from core.plugin_api import Permission

    granted = Permission("alpha.dossiers", "Dossiers", Role.basic, granted=True)  # Manifest.documents_permission
    with pytest.raises(NotFound):  # the role is enough for the permission, but the owner's grant is missing
        await read_for_staff(basic, info.id, lambda module: granted)
    await PermissionGrant.insert(PermissionGrant(organisation=org.organisation_id, member=member_id,
                                                 permission="alpha.dossiers")).run()
    assert (await read_for_staff(basic, info.id, lambda module: granted))[1] == PDF


async def test_bad_documents_are_refused_and_nothing_is_left(client, settings, make_org):
    from core.errors import ValidationFailed

    org = await make_org("Centre Éole")
    for bad in ({"content_type": "pas un type"}, {"title": "  "}, {"content": b"x" * (20 * 1024 * 1024 + 1)}):
        with pytest.raises(ValidationFailed):
            await _store(org, **bad)
    assert await Document.count() == 0
    folder = settings.data_dir / "documents"
    assert not folder.exists() or not any(p.is_file() for p in folder.rglob("*"))


async def test_a_module_attaches_only_its_own_unattached_documents_and_schedules_only_its_jobs(client, app,
                                                                                               settings, make_org):
    org = await make_org("Centre Éole")
    await sign_up(client, settings, "zoe@example.org")
    user = (await User.objects().get(User.email == "zoe@example.org")).id
    platform = app.state.plugins.platform("alpha")
    own, other = await _store(org), await _store(org, module="beta")
    taken = await _store(org, user_id=user)
    assert await platform.attach_documents([own.id, other.id, taken.id], user) == 1
    rows = {r["id"]: r["user"] for r in await Document.select(Document.id, Document.user)}
    assert rows == {own.id: user, other.id: None, taken.id: user}
    with pytest.raises(ValueError):
        await platform.schedule_job("beta.work", {})
