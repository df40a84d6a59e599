"""« Commander » stores the order and its quote job in one transaction, and the quote PDF is rendered by that job
with no write transaction open (on SQLite the writer lock was held while Typst compiled); a failed rendering is
retried and the sales team still gets exactly one email with the PDF (loopback SMTP)."""

import pytest

from core import db
from core.jobs.tables import OutboxMessage
from plugins.certification_robert.services import orders
from plugins.certification_robert.services.common import Ctx
from plugins.certification_robert.tables import Order
from tests.plugins.certification_robert.test_planning import mails, smtp_settings  # noqa: F401

SALES = "ventes@lerobert.example"


async def place(c):
    return await orders.place(Ctx(c.org.organisation_id, c.org.office_id), {"PART-CLR-EXAMEN": 2},
                              secret="k" * 32, base_url="http://testserver.local", sales_email=SALES,
                              link_path="/devis/{token}")


@pytest.fixture
def renders(monkeypatch):
    """Calls through to the real Typst rendering, noting whether a write transaction was open; `fail` first."""
    seen: list[bool] = []
    failures = {"left": 0}
    real = orders.render_pdf

    async def spy(*args, **kwargs):
        seen.append(db.in_write_transaction())
        if failures["left"]:
            failures["left"] -= 1
            raise RuntimeError("rendu interrompu")
        return await real(*args, **kwargs)

    monkeypatch.setattr(orders, "render_pdf", spy)
    return seen, failures


async def test_the_quote_is_rendered_outside_the_write_transaction(centre, mails, renders) -> None:  # noqa: F811
    seen, _ = renders
    c = await centre()
    placed = await place(c)
    assert seen == []  # nothing rendered in the request
    assert await Order.exists().where(Order.id == placed["id"])
    assert await OutboxMessage.count().where(OutboxMessage.idempotency_key == f"{orders.QUOTE_JOB}:{placed['id']}")
    [mail] = await mails(SALES)
    assert seen == [False]
    pdf = [p for p in mail.walk() if p.get_content_type() == "application/pdf"]
    assert len(pdf) == 1 and pdf[0].get_payload(decode=True).startswith(b"%PDF")
    assert f"n° {placed['id']}" in str(mail["Subject"])


async def test_a_failed_rendering_is_retried_and_mailed_once(centre, mails, renders) -> None:  # noqa: F811
    seen, failures = renders
    failures["left"] = 1
    c = await centre()
    await place(c)
    assert len(await mails(SALES)) == 1  # the worker retried the job (backoff 0) after the failure
    assert seen == [False, False]
    assert len(await mails(SALES)) == 1
