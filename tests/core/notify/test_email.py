"""Emails go through the outbox to a real SMTP server: French templates (text + HTML), attachments,
the password-reset and invitation emails, and the file backend when no SMTP host is set."""

from __future__ import annotations

import dataclasses

import pytest

from core import db, notify
from core.config import SmtpSettings
from core.errors import ValidationFailed
from core.jobs.tables import OutboxMessage
from core.testing.fixtures import api_token, csrf_token

ICS = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Rendez-vous en mairie\r\n"
       "END:VEVENT\r\nEND:VCALENDAR\r\n")


def body(message, subtype: str) -> str:
    return message.get_body((subtype,)).get_content().replace("\r\n", "\n")


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n\x00\xff binary"


async def test_email_with_ics_and_pdf_reaches_the_smtp_server(client, smtp_server, drain):
    async with db.write_transaction():
        key = await notify.enqueue_email(
            "Camille@Example.org", "Votre rendez-vous du 3 décembre", text="Bonjour Camille,\nÀ bientôt.",
            html="<p>Bonjour <b>Camille</b>, à bientôt.</p>",
            attachments=[notify.Attachment.ics("rdv.ics", ICS), notify.Attachment.pdf("convocation.pdf", PDF)])
    assert smtp_server.messages == []  # nothing leaves before the worker runs
    assert await drain() == 1
    [message] = smtp_server.messages
    assert message["To"] == "camille@example.org"
    assert message["From"] == "Mairie <ne-pas-repondre@mairie.example>"
    assert message["Subject"] == "Votre rendez-vous du 3 décembre"
    assert message["X-Socle-Idempotency-Key"] == key
    assert body(message, "plain").startswith("Bonjour Camille,\nÀ bientôt.")
    assert "<b>Camille</b>" in body(message, "html")
    parts = {part.get_filename(): part for part in message.iter_attachments()}
    assert parts["rdv.ics"].get_content_type() == "text/calendar"
    assert parts["rdv.ics"].get_payload(decode=True) == ICS.encode()
    assert parts["convocation.pdf"].get_content_type() == "application/pdf"
    assert parts["convocation.pdf"].get_payload(decode=True) == PDF
    [row] = await OutboxMessage.select()
    assert (row["status"], row["attempts"], row["response_code"]) == ("sent", 1, 250)


async def test_password_reset_email_uses_the_french_templates(client, make_org, smtp_server, drain):
    org = await make_org("Mairie de Lyon")
    token = await csrf_token(client, "/password/forgot")
    response = await client.post("/password/forgot", data={"email": org.owner_email, "_csrf_token": token},
                                 follow_redirects=False)
    assert response.status_code in (302, 303)
    await drain()
    [message] = smtp_server.messages
    assert message["To"] == org.owner_email
    text = body(message, "plain")
    html = body(message, "html")
    assert "Pour choisir un nouveau mot de passe" in text
    link = next(line for line in text.splitlines() if "/password/reset/" in line).strip()
    assert link.startswith("http://testserver.local/password/reset/")
    assert f'href="{link}"' in html and "Choisir mon mot de passe" in html
    page = await client.get(link.removeprefix("http://testserver.local"))
    assert page.status_code == 200


async def test_unknown_address_queues_nothing(client, smtp_server, drain):
    token = await csrf_token(client, "/password/forgot")
    await client.post("/password/forgot", data={"email": "personne@example.org", "_csrf_token": token})
    assert await OutboxMessage.count() == 0


async def test_invitation_is_queued_with_the_member_and_names_the_organisation(client, make_org, smtp_server, drain):
    org = await make_org("Mairie de Nantes")
    headers = await api_token(client, org.owner_email)
    response = await client.post("/api/v1/members", headers=headers, json={
        "role": "basic", "email": "agent@nantes.example", "display_name": "Agent Nantes", "office_ids": []})
    assert response.status_code == 201, response.text
    [row] = await OutboxMessage.select()
    assert row["organisation"] == org.organisation_id and row["idempotency_key"].startswith("invitation:")
    await drain()
    [message] = smtp_server.messages
    assert message["Subject"] == "Invitation à rejoindre Mairie de Nantes"
    text = body(message, "plain")
    assert "Bonjour Agent Nantes," in text and "/password/reset/" in text


async def test_invalid_member_queues_no_email(client, make_org, smtp_server):
    org = await make_org()
    headers = await api_token(client, org.owner_email)
    response = await client.post("/api/v1/members", headers=headers, json={"role": "chef", "email": "x@y.example"})
    assert response.status_code == 422
    assert await OutboxMessage.count() == 0


@pytest.mark.parametrize(("to", "subject", "field"), [
    ("pas-une-adresse", "Objet", "to"), ("a@b.example", " ", "subject"), ([], "Objet", "to")])
async def test_bad_email_input_names_the_field(client, to, subject, field):
    with pytest.raises(ValidationFailed) as raised:
        await notify.enqueue_email(to, subject, text="x")
    assert field in {e.field for e in raised.value.errors}
    assert await OutboxMessage.count() == 0


async def test_without_smtp_host_the_message_is_written_once_in_the_data_dir(client, worker_settings, drain):
    no_smtp = dataclasses.replace(worker_settings, smtp=SmtpSettings())
    key = await notify.enqueue_email("a@b.example", "Fichier", text="Contenu du message")
    await drain(no_smtp)
    files = list((no_smtp.data_dir / "mail").glob("*.eml"))
    assert len(files) == 1
    assert key.encode() in files[0].read_bytes() and b"Contenu du message" in files[0].read_bytes()


async def test_the_worker_reuses_smtp_connections(client, smtp_server, drain):
    async with db.write_transaction():
        for n in range(60):
            await notify.enqueue_email(f"c{n}@example.org", f"Message {n}", text="Bonjour")
    await drain()
    assert len(smtp_server.messages) == 60 and len(smtp_server.keys) == 60
    assert smtp_server.connections <= 20  # at most one connection per message in flight, then reused


async def test_platform_send_mail_from_the_organisation_with_html(client, smtp_server, drain, make_org):
    """A module's `Platform.send_mail(..., html=, organisation_id=)`: both alternatives, the organisation's name
    as sender (the platform's address), its email as Reply-To."""
    from core.plugin_api import Platform

    org = await make_org("Auto-école des Tilleuls")
    owner = await api_token(client, org.owner_email)
    assert (await client.patch("/api/v1/organisation", headers=owner,
                               json={"email": "contact@tilleuls.example"})).status_code == 200
    async with db.write_transaction():
        await Platform("hello_gateway", None).send_mail(  # type: ignore[arg-type]
            "eleve@example.org", "Votre examen", "Bonjour,\nÀ jeudi.", html="<p>Bonjour, <b>à jeudi</b>.</p>",
            organisation_id=org.organisation_id)
    assert await drain() == 1
    [message] = smtp_server.messages
    assert message["From"].addresses[0].display_name == "Auto-école des Tilleuls"
    assert message["From"].addresses[0].addr_spec == "ne-pas-repondre@mairie.example"
    assert message["Reply-To"] == "contact@tilleuls.example"
    assert body(message, "plain").startswith("Bonjour,\nÀ jeudi.") and "<b>à jeudi</b>" in body(message, "html")
