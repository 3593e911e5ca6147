"""A payment's fee from its settlement line. Paytm reports a payment's fee and GST only on its
settlement list (its status API and webhooks carry none): a run that matches the payment with
its line by the gateway's id writes them on the payment, audited, and the fee report then
counts them instead of "fee not reported". Razorpay's fee, known since the capture, is left
as it was. Which pairs give a fee: skinspire/reconciliation/tests/test_settled_fees.py."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from skinspire.core.models import AuditEntry
from skinspire.core.tests.factories import UserFactory
from skinspire.reconciliation.reports import fee_summary
from skinspire.reconciliation.services.runs import reconciliation_run_start
from tests import collections_support as support

pytestmark = pytest.mark.django_db

D = Decimal
SANDBOX_FEE = (D("35.40"), D("5.40"))  # 2% + 18% GST of ₹1,500, as the sandbox charges


def fee_row(bill, provider: str) -> tuple:
    report = fee_summary(
        user=UserFactory(is_superuser=True),
        hospital=bill.hospital,
        since=timezone.localdate() - timedelta(days=1),
    )
    return next(row for row in report.rows if str(row[1]).lower() == provider)[4:]


@pytest.mark.parametrize("provider", ["razorpay", "paytm"])
def test_a_run_fills_in_a_fee_the_gateway_gave_only_on_its_settlement_line(
    api_client, bill, demo_merchants, provider
):
    payment = support.paid(api_client, bill, provider)
    captured_with = (payment.fee, payment.tax)
    support.settle_now(demo_merchants[provider])

    run = reconciliation_run_start(
        configuration=payment.configuration, run_date=timezone.localdate(), trigger="manual"
    )

    payment.refresh_from_db()
    assert (run.status, run.matched_count, (payment.fee, payment.tax)) == ("completed", 2, SANDBOX_FEE)
    entries = AuditEntry.objects.filter(action="patient_payment.fee_settled")
    if provider == "paytm":
        assert captured_with == (None, None)
        assert [(entry.object_id, entry.changes, entry.message) for entry in entries] == [
            (
                str(payment.pk),
                {"fee": {"from": None, "to": "35.40"}, "tax": {"from": None, "to": "5.40"}},
                f"Fee ₹35.40 (GST ₹5.40) from its settlement line of {run.run_date:%d %b %Y}, matched by "
                f"reconciliation run #{run.pk}.",
            )
        ]
    else:  # reported on capture: nothing to fill in
        assert (captured_with, entries.count()) == (SANDBOX_FEE, 0)
    # Transactions, amount, fees less GST, GST, fees with GST, effective rate, fee not reported.
    assert fee_row(bill, provider) == (1, D("1500.00"), D("30.00"), D("5.40"), D("35.40"), D("2.36"), 0)


def test_running_the_date_again_changes_nothing(api_client, bill, demo_merchants):
    payment = support.paid(api_client, bill, "paytm")
    support.settle_now(demo_merchants["paytm"])
    today = timezone.localdate()
    reconciliation_run_start(configuration=payment.configuration, run_date=today, trigger="manual")

    again = reconciliation_run_start(configuration=payment.configuration, run_date=today, trigger="manual")

    payment.refresh_from_db()
    assert (again.status, payment.fee, payment.tax) == ("completed", *SANDBOX_FEE)
    assert AuditEntry.objects.filter(action="patient_payment.fee_settled").count() == 1
