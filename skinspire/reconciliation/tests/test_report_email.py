"""The e-mail after a scheduled run: summary figures, the open discrepancies as xlsx (account
numbers masked), nothing without recipients, never twice for one run."""

import io
from datetime import date, timedelta
from decimal import Decimal
from smtplib import SMTPServerDisconnected

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.test import TestCase
from openpyxl import load_workbook

from skinspire.reconciliation.models import Discrepancy, MatchingSettings, ReconciliationRun
from skinspire.reconciliation.services.report import reconciliation_report_send
from skinspire.reconciliation.tasks import (
    REPORT_RETRIES,
    REPORT_RETRY_SECONDS,
    reconciliation_report,
    reconciliation_run,
)
from skinspire.reconciliation.tests import sandbox_support

pytestmark = pytest.mark.django_db

capture_on_commit = TestCase.captureOnCommitCallbacks  # what pytest-django's fixture wraps

RUN_DATE = date(2026, 4, 10)


def scheduled_run(configuration, run_date: date) -> int | None:
    """The schedule's task for one configuration, and what it enqueued after commit (the report)."""
    with capture_on_commit(execute=True):
        return reconciliation_run.delay(
            configuration_id=configuration.pk, run_date=run_date.isoformat()
        ).get()


def run_with_a_lost_payment(configuration, our_payment) -> ReconciliationRun:
    """A scheduled run where one payment of ours, 4 days old, never reached a settlement."""
    our_payment(gateway_id="pay_lost", amount=Decimal("450.00"), paid_on=RUN_DATE - timedelta(days=4))
    run_id = scheduled_run(configuration, RUN_DATE)
    assert run_id is not None
    return ReconciliationRun.objects.get(pk=run_id)


@pytest.fixture
def recipients(configuration):
    return MatchingSettings.objects.create(
        configuration=configuration, report_recipients="finance@example.com, cfo@example.com"
    )


def test_the_scheduled_run_mails_its_summary_and_open_discrepancies(configuration, our_payment, recipients):
    run = run_with_a_lost_payment(configuration, our_payment)

    (message,) = mail.outbox
    (discrepancy,) = Discrepancy.objects.filter(status="open")
    assert (run.status, run.discrepancy_count, discrepancy.category) == ("completed", 1, "missing_at_gateway")
    assert run.report_sent_at is not None
    assert message.to == ["finance@example.com", "cfo@example.com"]
    assert message.subject == (
        f"Reconciliation 2026-04-10 — {configuration.name}: 0 matched, 1 open discrepancy"
    )
    assert "Matched: 0\n" in message.body
    assert "Discrepancies found in this run: 1\n" in message.body
    assert "Match rate: 0.00%\n" in message.body
    assert "Gross: ₹0.00\n" in message.body
    assert "Open discrepancies of this configuration: 1\n" in message.body
    assert "Missing at gateway" in message.body
    assert f"- 2026-04-10 Missing at gateway: {discrepancy.summary} (difference -₹450.00)\n" in message.body


def test_the_workbook_holds_the_open_discrepancies_with_account_numbers_masked(
    configuration, our_payment, recipients
):
    run = run_with_a_lost_payment(configuration, our_payment)
    mail.outbox.clear()
    ReconciliationRun.objects.filter(pk=run.pk).update(report_sent_at=None)
    Discrepancy.objects.update(summary="Paid to account 123456789012, not settled")

    assert reconciliation_report_send(run_id=run.pk) is True

    (message,) = mail.outbox
    ((name, content, mimetype),) = message.attachments
    assert name == f"reconciliation-2026-04-10-{configuration.name}.xlsx".replace(" ", "-")
    assert mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    header, *rows = load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)
    assert header[:6] == ("id", "run_date", "configuration", "provider", "category", "status")
    (row,) = rows
    record = dict(zip(header, row, strict=True))
    assert (record["category"], record["status"], record["summary"]) == (
        "missing_at_gateway",
        "open",
        "Paid to account XXXX9012, not settled",
    )
    assert "123456789012" not in message.body
    assert "Paid to account XXXX9012, not settled" in message.body


def test_the_workbooks_amounts_and_dates_are_numbers_and_dates(configuration, our_payment, recipients):
    """Before: every cell was text ("-450.00", "2026-04-10"), unlike the admin's export."""
    run_with_a_lost_payment(configuration, our_payment)

    ((_, content, _),) = mail.outbox[0].attachments
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.title == "Discrepancies"  # not tablib's "Tablib Dataset"
    header, row = sheet.iter_rows(min_row=1, max_row=2)
    cells = {title.value: cell for title, cell in zip(header, row, strict=True)}
    assert (cells["amount_difference"].value, cells["amount_difference"].data_type) == (-450, "n")
    assert (cells["run_date"].value.date(), cells["run_date"].data_type) == (RUN_DATE, "d")


def test_no_mail_without_recipients(configuration, our_payment):
    MatchingSettings.objects.create(configuration=configuration, report_recipients="")

    run = run_with_a_lost_payment(configuration, our_payment)

    assert mail.outbox == []
    assert (run.status, run.report_sent_at) == ("completed", None)


def test_no_mail_when_the_configuration_has_no_settings(configuration, our_payment):
    run = run_with_a_lost_payment(configuration, our_payment)

    assert mail.outbox == []
    assert run.report_sent_at is None


def test_a_run_is_reported_once(configuration, our_payment, recipients):
    run = run_with_a_lost_payment(configuration, our_payment)
    sent_at = run.report_sent_at

    again = reconciliation_report_send(run_id=run.pk)
    # The schedule firing again for the same date runs nothing and mails nothing.
    rerun = scheduled_run(configuration, RUN_DATE)

    assert (again, rerun, len(mail.outbox)) == (False, None, 1)
    run.refresh_from_db()
    assert run.report_sent_at == sent_at


def test_the_figures_of_a_settled_day_are_in_the_mail(configuration, our_payment, recipients):
    today = sandbox_support.today()
    payment_id = sandbox_support.razorpay_pay(configuration, amount=Decimal("500.00"), receipt="BILL-3001")
    sandbox_support.settle_now(configuration)
    our_payment(gateway_id=payment_id, amount=Decimal("500.00"), expected_fee=None, paid_on=today)

    run_id = scheduled_run(configuration, today)

    run = ReconciliationRun.objects.get(pk=run_id)
    (message,) = mail.outbox
    assert (run.matched_count, run.gross, run.fees, run.net) == (
        2,  # the gateway's line and our payment
        Decimal("500.00"),
        Decimal("11.80"),
        Decimal("488.20"),
    )
    assert message.subject == (
        f"Reconciliation {today.isoformat()} — {configuration.name}: 2 matched, 0 open discrepancies"
    )
    figures = message.body.split("\n\n")[1]
    assert figures == (
        "Matched: 2\n"
        "Discrepancies found in this run: 0\n"
        "Match rate: 100.00%\n"
        "Gross: ₹500.00\n"
        "Fees: ₹11.80\n"
        "Tax on fees: ₹1.80\n"
        "Net settled: ₹488.20"
    )
    ((_, content, _),) = message.attachments
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert len(rows) == 1 and rows[0][:2] == ("id", "run_date")  # the header, no discrepancy


class RefusingBackend:
    """A mail server that is down (Django's backend interface, failing as smtplib does)."""

    attempts = 0

    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        RefusingBackend.attempts += 1
        raise SMTPServerDisconnected("Connection unexpectedly closed")


def test_a_mail_server_that_is_down_leaves_the_run_unreported_for_the_retry(
    configuration, our_payment, recipients, settings
):
    settings.EMAIL_BACKEND = "skinspire.reconciliation.tests.test_report_email.RefusingBackend"
    our_payment(gateway_id="pay_lost", amount=Decimal("450.00"), paid_on=RUN_DATE - timedelta(days=4))
    run_id = reconciliation_run.delay(configuration_id=configuration.pk, run_date=RUN_DATE.isoformat()).get()

    with pytest.raises(SMTPServerDisconnected):
        reconciliation_report_send(run_id=run_id)

    run = ReconciliationRun.objects.get(pk=run_id)
    assert (run.status, run.report_sent_at) == ("completed", None)  # the run stands; the mail is owed
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert reconciliation_report_send(run_id=run_id) is True
    assert len(mail.outbox) == 1


def test_the_report_task_is_retried_later_when_the_mail_server_is_down(
    configuration, our_payment, recipients, settings
):
    settings.EMAIL_BACKEND = "skinspire.reconciliation.tests.test_report_email.RefusingBackend"
    RefusingBackend.attempts = 0
    our_payment(gateway_id="pay_lost", amount=Decimal("450.00"), paid_on=RUN_DATE - timedelta(days=4))
    run_id = reconciliation_run.delay(configuration_id=configuration.pk, run_date=RUN_DATE.isoformat()).get()

    with pytest.raises(Retry) as retry:
        reconciliation_report.delay(run_id=run_id).get()

    assert (RefusingBackend.attempts, retry.value.when) == (1, REPORT_RETRY_SECONDS)
    assert isinstance(retry.value.exc, SMTPServerDisconnected)
    assert reconciliation_report.max_retries == REPORT_RETRIES
    assert ReconciliationRun.objects.get(pk=run_id).report_sent_at is None
