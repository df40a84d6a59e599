"""Helpers for « Mon espace » tests: links out of the delivered emails, signing a person up."""

from __future__ import annotations

import html
import re
from email import message_from_bytes, policy
from typing import Any

from core.testing.fixtures import PASSWORD, csrf_token, deliver_outbox, mail_text

LINK_RE = re.compile(r"http://testserver\.local(/mon-espace/[\w/-]+)")


def mails_in_order(settings: Any) -> list[Any]:
    """The file backend's messages in the order they were written (their names are idempotency keys)."""
    folder = settings.data_dir / "mail"
    paths = sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns) if folder.exists() else []
    return [message_from_bytes(p.read_bytes(), policy=policy.default) for p in paths]


async def last_link(settings: Any, to: str) -> str:
    """The path of the « Mon espace » link in the latest email to `to`."""
    await deliver_outbox(settings)
    mails = [m for m in mails_in_order(settings) if to in m["To"]]
    assert mails, f"no email to {to}"
    match = LINK_RE.search(mail_text(mails[-1]))
    assert match, mail_text(mails[-1])
    return match.group(1)


async def post_form(client: Any, path: str, data: dict[str, str], form_path: str | None = None) -> Any:
    token = await csrf_token(client, form_path or path)
    return await client.post(path, data={**data, "_csrf_token": token}, follow_redirects=False)


async def sign_up(client: Any, settings: Any, email: str, full_name: str = "Zoé Dupré",
                  phone: str = "06 12 34 56 78") -> None:
    """A person signs up through the pages and ends up logged in."""
    response = await post_form(client, "/mon-espace/inscription", {"email": email})
    assert response.status_code == 200, response.text
    link = await last_link(settings, email)
    response = await post_form(client, link, {"password": PASSWORD, "confirmation": PASSWORD,
                                              "full_name": full_name, "phone": phone})
    assert response.status_code in (302, 303), response.text
    assert response.headers["location"] == "/mon-espace/"


def text(response: Any) -> str:
    """The page's text with HTML entities decoded (apostrophes are escaped by Jinja)."""
    return html.unescape(response.text)


def visible_text(response: Any) -> str:
    """What the page shows: tags and their attributes dropped (a random CSRF token in a hidden field can
    hold any digits, so a score absent from the page is checked here), entities decoded."""
    return html.unescape(re.sub(r"<[^>]*>", " ", response.text))
