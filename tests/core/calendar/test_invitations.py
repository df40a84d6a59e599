"""Calendar invitations (plain lines, read back here with `icalendar`): they parse back, keep accents, carry
one UID for the life of
an event with a growing SEQUENCE, and travel as `text/calendar; charset=utf-8; method=…` from the
organisation's name."""

from datetime import UTC, datetime
from email import message_from_bytes, policy
from zoneinfo import ZoneInfo

import icalendar
import pytest

from core import mail
from core.calendar.invitations import CalendarEvent, feed, invitation, invitation_attachment, stable_uid
from core.config import Settings, SmtpSettings

pytestmark = pytest.mark.nodb
PARIS = ZoneInfo("Europe/Paris")
EVENT = CalendarEvent(uid=stable_uid("test", "jeton-secret"), start=datetime(2026, 10, 25, 2, 30, tzinfo=PARIS),
                      end=datetime(2026, 10, 25, 2, 15, fold=1, tzinfo=PARIS),
                      summary="Acte de naissance — Mairie de Saint-Vallier", location="Hôtel de ville, 1 place Pérès",
                      description="Apportez une pièce d'identité ; un justificatif, s'il vous plaît.",
                      organizer_name="Mairie de Saint-Vallier", organizer_email="contact@saint-vallier.example",
                      attendee_name="Jeanne Müller", attendee_email="jeanne@example.org")


def parse(data: bytes) -> tuple[icalendar.Calendar, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    [event] = calendar.walk("VEVENT")
    return calendar, event


def test_invitation_round_trips_with_accents_and_utc_times():
    calendar, event = parse(invitation(EVENT))
    assert calendar["METHOD"] == "REQUEST" and event["STATUS"] == "CONFIRMED"
    assert str(event["SUMMARY"]) == "Acte de naissance — Mairie de Saint-Vallier"
    assert str(event["LOCATION"]) == "Hôtel de ville, 1 place Pérès"
    assert str(event["DESCRIPTION"]) == EVENT.description
    assert event["UID"] == EVENT.uid and event["SEQUENCE"] == 0
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert (start, end) == (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), datetime(2026, 10, 25, 1, 15, tzinfo=UTC))
    assert str(event["ORGANIZER"]) == "mailto:contact@saint-vallier.example"
    assert event["ORGANIZER"].params["CN"] == "Mairie de Saint-Vallier"
    assert event["ATTENDEE"].params["CN"] == "Jeanne Müller"


def test_cancellation_is_a_cancel_with_the_same_uid():
    cancelled = CalendarEvent(**{**{f: getattr(EVENT, f) for f in EVENT.__slots__}, "sequence": 2, "cancelled": True})
    calendar, event = parse(invitation(cancelled))
    assert calendar["METHOD"] == "CANCEL" and event["STATUS"] == "CANCELLED"
    assert event["UID"] == EVENT.uid and event["SEQUENCE"] == 2


def test_stable_uid_is_deterministic_and_hides_its_secret():
    assert stable_uid("rdv", "abc") == stable_uid("rdv", "abc") != stable_uid("rdv", "abd")
    assert stable_uid("rdv", "abc") != stable_uid("autre", "abc")
    assert "abc" not in stable_uid("rdv", "abc") and stable_uid("rdv", "abc").endswith("@socle")


def test_feed_lists_cancelled_events_without_method():
    cancelled = CalendarEvent(uid="x@socle", start=EVENT.start, end=EVENT.end, summary="Annulé", cancelled=True)
    calendar = icalendar.Calendar.from_ical(feed("Agenda de Léa", [EVENT, cancelled]))
    assert "METHOD" not in calendar and str(calendar["X-WR-CALNAME"]) == "Agenda de Léa"
    assert [str(e["STATUS"]) for e in calendar.walk("VEVENT")] == ["CONFIRMED", "CANCELLED"]


def test_attachment_mime_parameters_and_sender_name():
    attachment = invitation_attachment(EVENT)
    settings = Settings(data_dir=".", database_url="sqlite://", secret_key="-",
                        smtp=SmtpSettings(sender="Socle <ne-pas-repondre@socle.example>"))
    message = mail.build_message(settings, "jeanne@example.org", "Votre rendez-vous", "Bonjour", "<p>Bonjour</p>",
                                 attachments=[(attachment.filename, attachment.content, attachment.mime_type)],
                                 sender_name="Mairie de Saint-Vallier", reply_to="contact@saint-vallier.example")
    parsed = message_from_bytes(bytes(message), policy=policy.default)
    assert parsed["From"].addresses[0].display_name == "Mairie de Saint-Vallier"
    assert parsed["From"].addresses[0].addr_spec == "ne-pas-repondre@socle.example"
    assert parsed["Reply-To"] == "contact@saint-vallier.example"
    [part] = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("charset") == "utf-8" and part.get_param("method") == "REQUEST"
    assert part.get_filename() == "rendez-vous.ics"
    assert "Müller" in part.get_payload(decode=True).decode("utf-8")


def test_awkward_text_survives_escaping_and_folding():
    """Commas, semicolons, backslashes, newlines, quotes and long accented lines: folded at 75 octets without
    cutting a character, every value read back unchanged by `icalendar`."""
    awkward = CalendarEvent(
        uid="x@socle", start=datetime(2027, 3, 1, 9, tzinfo=UTC), end=datetime(2027, 3, 1, 9, 30, tzinfo=UTC),
        summary="Passeport, carte d'identité; « renouvellement » — " + "é" * 80, location="Annexe, 3 rue\\du Parc",
        description="Ligne 1,\nligne 2;\r\n\nLien : https://example.org/" + "a" * 120,
        organizer_name='Mairie "de" Sèvres, Hauts-de-Seine', organizer_email="m@example.org",
        attendee_name="Dupont; Jean", attendee_email="j@example.org", url="https://example.org/rdv/x")
    data = invitation(awkward, now=datetime(2027, 1, 1, tzinfo=UTC))
    assert data.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    _, event = parse(data)
    assert str(event["summary"]) == awkward.summary and str(event["location"]) == awkward.location
    assert str(event["description"]) == awkward.description.replace("\r\n", "\n")
    assert event["organizer"].params["CN"] == "Mairie 'de' Sèvres, Hauts-de-Seine"
    assert event["attendee"].params["CN"] == "Dupont; Jean" and str(event["url"]) == awkward.url
    assert event["dtstart"].dt == awkward.start and event["dtend"].dt == awkward.end
