"""`mail.build_raw` (what the worker sends) reads back, with Python's own parser, as the same message as
`mail.build_message`: headers (accented subject and sender name, reply-to, ids), the text and HTML bodies and
every attachment byte for byte, with its type, parameters and (accented) filename."""

from email import message_from_bytes, policy

import pytest

from core import mail
from core.config import Settings, SmtpSettings

pytestmark = pytest.mark.nodb
SETTINGS = Settings(data_dir=".", database_url="sqlite://", secret_key="-",
                    smtp=SmtpSettings(sender="Socle <ne-pas-repondre@socle.example>"))
ICS = "BEGIN:VCALENDAR\r\nSUMMARY:Müller\r\nEND:VCALENDAR\r\n".encode()


def parts(raw: bytes) -> dict:
    parsed = message_from_bytes(raw, policy=policy.default)
    assert not parsed.defects
    plain, html = parsed.get_body(("plain",)), parsed.get_body(("html",))
    return {
        "headers": {name: str(parsed[name]) for name in ("To", "Subject", "Reply-To", "Message-ID",
                                                        "X-Socle-Idempotency-Key")},
        # EmailMessage's own output reads back with a doubled space before » (checked exactly on ours below)
        "from": (parsed["From"].addresses[0].display_name.replace("  ", " "), parsed["From"].addresses[0].addr_spec),
        # EmailMessage ends each body with a newline it adds; Python's parser keeps the CRLF of 8bit parts
        "text": plain.get_content().replace("\r\n", "\n").rstrip("\n") if plain else None,
        "html": html.get_content().replace("\r\n", "\n").rstrip("\n") if html and html is not plain else None,
        "attachments": [(p.get_content_type(), p.get_filename(), p.get_param("method"), p.get_param("charset"),
                         p.get_payload(decode=True)) for p in parsed.iter_attachments()]}


@pytest.mark.parametrize("html, attachments", [
    (None, []),
    ("<p>Votre rendez-vous est confirmé — à lundi.</p>", []),
    ("<p>Bonjour</p>", [("rendez-vous.ics", ICS, "text/calendar; charset=utf-8; method=REQUEST"),
                        ("reçu n° 12.pdf", b"%PDF-1.4\n\x00\xff binaire", "application/pdf")]),
])
def test_raw_message_reads_back_as_the_email_message(html, attachments):
    arguments = dict(attachments=attachments, reply_to="contact@saint-vallier.example",
                     sender_name="Mairie de Saint-Vallier-sur-Rhône, « accueil »",
                     headers={"Message-ID": "<abc@socle.outbox>", "X-Socle-Idempotency-Key": "email:abc"})
    subject = "Votre rendez-vous est confirmé — Mairie de Saint-Vallier-sur-Rhône (une ligne assez longue)"
    text = "Bonjour Jeanne Müller,\n\nLundi 1er mars à 10:00.\n" + "Ligne longue " * 40 + "\n"
    raw = mail.build_raw(SETTINGS, "jeanne@example.org", subject, text, html, **arguments)
    reference = bytes(mail.build_message(SETTINGS, "jeanne@example.org", subject, text, html, **arguments))
    assert parts(raw) == parts(reference)
    assert message_from_bytes(raw, policy=policy.default)["From"].addresses[0].display_name == \
        arguments["sender_name"]
    head, _, _ = raw.partition(b"\r\n\r\n")
    assert all(len(line) <= (998 if line.startswith(b"From:") else 78) for line in head.split(b"\r\n"))
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))
    assert b"\r\nDate: " in raw and b"\n" not in raw.replace(b"\r\n", b"")


def test_a_non_ascii_address_falls_back_to_the_email_message():
    raw = mail.build_raw(SETTINGS, "jeanne@exémple.org", "Objet", "Bonjour")
    assert message_from_bytes(raw, policy=policy.default)["To"] == "jeanne@exémple.org"


def test_a_line_longer_than_smtp_allows_goes_base64():
    text = "é" * 1500
    raw = mail.build_raw(SETTINGS, "jeanne@example.org", "Objet", text, "<p>" + "a" * 2000 + "</p>")
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed.get_body(("plain",)).get_content() == text and b"base64" in raw
    assert all(len(line) <= 78 for line in raw.split(b"\r\n"))
