"""The billing and the trials as periodic jobs, the invoices' PDFs rendered by jobs and kept as core documents,
and `socle billing run`."""

import os
import subprocess
import sys
from datetime import date

import pytest

from core.documents.tables import Document
from core.jobs.tables import OutboxMessage
from core.operators import accounts, billing, billing_jobs
from core.operators.tables import BillingRun, Invoice
from core.testing.fixtures import deliver_outbox, login
from tests.core.operators.test_billing import _catalog, _change


async def _billed_org(app, make_org):
    catalog = _catalog()
    org = await make_org("Auto-école des Tilleuls")
    new = await accounts.create_operator("ops@socle.test", "operateur-secret-1")
    op = await accounts.Operator.objects().where(accounts.Operator.email == new.email).first()
    await _change(app, org, op, "alpha", True, date(2026, 10, 10), catalog)
    return catalog, org


async def test_periodic_jobs_are_registered(app):
    assert {"core.operators.billing", "core.operators.trials"} <= set(app.state.jobs.periodic)
    assert "job:" + billing.PDF_JOB in app.state.jobs.handlers


async def test_previous_month_is_billed_once(app, make_org):
    catalog, _ = await _billed_org(app, make_org)
    assert billing.previous_month(date(2026, 11, 1)) == "2026-10"
    assert billing.previous_month(date(2027, 1, 15)) == "2026-12"
    assert await billing_jobs.bill_previous_month(catalog, date(2026, 11, 1)) == 1
    run = await BillingRun.objects().where(BillingRun.month == "2026-10").first()
    assert run is not None and run.invoices == 1
    assert await billing_jobs.bill_previous_month(catalog, date(2026, 11, 2)) is None  # already billed


async def test_invoice_pdf_is_a_job_and_a_core_document(app, client, make_org, settings):
    catalog, org = await _billed_org(app, make_org)
    [invoice_id] = await billing.run(catalog, "2026-10")
    queued = await OutboxMessage.objects().where(OutboxMessage.idempotency_key == f"invoice-pdf:{invoice_id}").first()
    assert queued is not None and queued.organisation == org.organisation_id
    assert (await Invoice.objects().where(Invoice.id == invoice_id).first()).document is None
    await deliver_outbox(settings, app.state.jobs)
    invoice = await Invoice.objects().where(Invoice.id == invoice_id).first()
    document = await Document.objects().where(Document.id == invoice.document).first()
    assert document.organisation == org.organisation_id and document.kind == "facture"
    assert document.keep_until.year == date.today().year + 10
    assert await billing_jobs.render_invoice_pdf(invoice_id) == document.id  # rendered once
    stored = (settings.data_dir / "documents" / document.storage_key).read_bytes()
    await login(client, org.owner_email)
    pdf = await client.get(f"/config/factures/{invoice_id}/pdf")
    assert pdf.status_code == 200 and pdf.content == stored and stored.startswith(b"%PDF")


@pytest.mark.nodb
def test_cli_billing_run(tmp_path):
    env = {**os.environ, "SOCLE_DATA_DIR": str(tmp_path), "SOCLE_DATABASE_URL": f"sqlite:///{tmp_path}/cli.sqlite"}

    def socle(*args):
        return subprocess.run([sys.executable, "-m", "core.cli", *args], env=env, capture_output=True, text=True,
                              timeout=120)

    assert socle("migrate").returncode == 0
    bad = socle("billing", "run", "--month", "2026-13")
    assert bad.returncode == 2 and "Mois invalide" in bad.stderr
    done = socle("billing", "run", "--month", "2026-11")
    assert done.returncode == 0 and "Facturation 2026-11 : 0 facture(s)" in done.stdout, done.stderr
