"""Reconciliation end to end, in-process: a patient pays a bill through each gateway's
checkout, the sandbox settles now, the run matches our payment with the gateway's line by
its id, and the settlement posts so the gateway's clearing account is back to zero."""

from decimal import Decimal

import pytest
from django.utils import timezone

from skinspire.collections.models import PatientRefund
from skinspire.collections.services.events import patient_refund_apply_event
from skinspire.gateways.providers.registry import provider_for
from skinspire.ledger.models import Account, JournalEntry
from skinspire.ledger.selectors import account_balance
from skinspire.reconciliation.models import Discrepancy
from skinspire.reconciliation.services.runs import reconciliation_run_start
from tests import collections_support as support
from tests import e2e_support as e2e

pytestmark = pytest.mark.django_db

CLEARING = {"razorpay": "1100", "paytm": "1110"}


@pytest.mark.parametrize("provider", ["razorpay", "paytm"])
def test_a_paid_bill_settled_now_is_matched_and_its_clearing_nets_to_zero(
    api_client, bill, demo_merchants, provider
):
    payment = support.paid(api_client, bill, provider)
    settled = support.settle_now(demo_merchants[provider])
    today = timezone.localdate()

    run = reconciliation_run_start(configuration=payment.configuration, run_date=today, trigger="manual")

    assert settled["settled"] == 1
    assert (run.status, run.gateway_row_count, run.discrepancy_count, run.error_message) == (
        "completed",
        1,
        0,
        "",
    )
    items = {(item.side, item.key): (item.category, item.match_pass) for item in run.items.all()}
    line_key = next(key for side, key in items if side == "gateway")
    assert items == {
        ("gateway", line_key): ("matched", "gateway_id"),
        ("system", f"patient_payment:{payment.pk}"): ("matched", "gateway_id"),
    }
    assert line_key.endswith(f"/{payment.gateway_payment_id}")
    assert (run.gross, run.fees, run.tax, run.net) == (
        Decimal("1500.00"),
        Decimal("35.40"),
        Decimal("5.40"),
        Decimal("1464.60"),
    )
    assert Discrepancy.objects.count() == 0
    assert JournalEntry.objects.filter(source_type="settlement").count() == 1
    clearing = Account.objects.get(hospital=bill.hospital, code=CLEARING[provider])
    assert account_balance(account=clearing) == Decimal("0.00")


@pytest.mark.parametrize("provider", ["razorpay", "paytm"])
def test_a_refund_settles_beside_its_payment(
    api_client, bill, demo_merchants, provider, django_capture_on_commit_callbacks
):
    payment = support.paid(api_client, bill, provider)
    e2e.RECEIVED.clear()
    staff = support.staff_client(api_client, bill)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(f"/api/patient-payments/{payment.pk}/refunds",
                              {"amount": "500.00", "reason": "Procedure cancelled"}, format="json")  # fmt: skip
    assert response.status_code == 201, response.content
    refunded = provider_for(payment.configuration)
    for event in e2e.verified_events(refunded, e2e.received_from(provider)):
        if event.object_type == "refund":
            patient_refund_apply_event(event=event, configuration=payment.configuration)
    refund = PatientRefund.objects.get()
    assert refund.status == "processed"
    support.settle_now(demo_merchants[provider])

    run = reconciliation_run_start(
        configuration=payment.configuration, run_date=timezone.localdate(), trigger="manual"
    )

    categories = sorted(run.items.values_list("side", "category", "match_pass"))
    assert (
        categories == [("gateway", "matched", "gateway_id")] * 2 + [("system", "matched", "gateway_id")] * 2
    )
    assert run.items.get(key=f"patient_refund:{refund.pk}").gateway_id == refund.gateway_refund_id
    assert (run.gross, run.fees, run.net, run.discrepancy_count) == (
        Decimal("1000.00"),
        Decimal("35.40"),
        Decimal("964.60"),
        0,
    )
    clearing = Account.objects.get(hospital=bill.hospital, code=CLEARING[provider])
    assert account_balance(account=clearing) == Decimal("0.00")
