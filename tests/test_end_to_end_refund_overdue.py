"""A gateway refund the gateway keeps pending past its bound (Razorpay's normal refunds take
5-7 working days) is marked for a person with a reason, written once to the audit log, left
by the status sync and asked about less and less often, never dropped; when the gateway
finally processes it, the mark goes. Through both sandboxes, which keep a refund pending
until their refund step runs (docs/sandbox-razorpay.md, docs/sandbox-paytm.md)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from skinspire.collections.models import PatientRefund
from skinspire.collections.services.gateway_refunds_overdue import ALERT, patient_refunds_overdue_watch
from skinspire.collections.status_sources import patient_refunds_pending
from skinspire.core.models import AuditEntry
from skinspire.sandbox.models import SandboxMerchant, SandboxObject
from skinspire.sandbox.paytm.services.refunds import paytm_refund_advance
from skinspire.sandbox.razorpay.services.refunds import refund_process
from tests.test_end_to_end_collections_refunds import paid

pytestmark = pytest.mark.django_db

GATEWAY = {"razorpay": "Razorpay", "paytm": "Paytm"}
SANDBOX_REFUND = {"razorpay": "refund", "paytm": "paytm_refund"}
NOTHING = {"marked": 0, "asked": 0, "resolved": 0, "still_pending": 0, "unanswered": 0}


def pending_refund(staff, bill, provider, capture, *, days_ago: int) -> PatientRefund:
    """A ₹500 refund the gateway accepted and keeps pending (its sandbox's refund step never
    runs: nothing after the request's commit does here), recorded `days_ago` calendar days ago."""
    payment = paid(staff, bill, provider, capture)
    response = staff.post(f"/api/patient-payments/{payment.pk}/refunds",
                          {"amount": "500.00", "reason": "Procedure cancelled"}, format="json")  # fmt: skip
    assert (response.status_code, response.json()["status"]) == (201, "pending")
    refund = PatientRefund.objects.get()
    assert refund.gateway_refund_id != ""
    PatientRefund.objects.filter(pk=refund.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    refund.refresh_from_db()
    return refund


def gateway_processes(provider: str) -> None:
    """The sandbox's refund step, which a real gateway takes on its own time."""
    at_gateway = SandboxObject.objects.get(entity=SANDBOX_REFUND[provider])
    if provider == "razorpay":
        refund_process(refund_id=at_gateway.object_id)
    else:
        paytm_refund_advance(object_id=at_gateway.object_id)


def asked_by_the_status_sync(refund) -> bool:
    return refund.reference in {
        query.reference_id for query in patient_refunds_pending(older_than=timezone.now())
    }


@pytest.mark.parametrize("provider", ["razorpay", "paytm"])
def test_a_refund_pending_too_long_is_marked_once_with_a_reason(staff, bill, provider,
                                                                 django_capture_on_commit_callbacks):  # fmt: skip
    refund = pending_refund(staff, bill, provider, django_capture_on_commit_callbacks, days_ago=12)
    assert asked_by_the_status_sync(refund)
    now = timezone.now()

    counts = patient_refunds_overdue_watch(now=now)

    refund.refresh_from_db()
    recorded = timezone.localtime(refund.created_at).strftime("%d %b %Y")
    reason = (
        f"Still pending at {GATEWAY[provider]} more than 7 working days after it was asked for on {recorded}; "
        f"refunds normally complete within 5-7 working days. Ask {GATEWAY[provider]}'s support about refund "
        f"{refund.gateway_refund_id} (₹500.00, our reference {refund.reference}) and tell the patient."
    )
    assert counts == {**NOTHING, "marked": 1}
    assert (refund.status, refund.attention_reason, refund.attention_since) == ("pending", reason, now)
    assert refund.status_next_ask_at == now + timedelta(hours=1)
    assert not asked_by_the_status_sync(refund)  # asked by the watch instead, less often
    alert = AuditEntry.objects.get(action=ALERT)
    assert (alert.object_id, alert.message, alert.hospital_id) == (str(refund.pk), reason, refund.hospital_id)

    assert patient_refunds_overdue_watch(now=now + timedelta(minutes=10)) == NOTHING  # not due, not again
    assert AuditEntry.objects.filter(action=ALERT).count() == 1


def test_a_refund_within_the_gateways_bound_is_left_alone(staff, bill, django_capture_on_commit_callbacks):
    # Four calendar days hold at most four working days.
    refund = pending_refund(staff, bill, "razorpay", django_capture_on_commit_callbacks, days_ago=4)

    assert patient_refunds_overdue_watch() == NOTHING

    refund.refresh_from_db()
    assert (refund.attention_reason, refund.attention_since) == (None, None)
    assert asked_by_the_status_sync(refund)
    assert not AuditEntry.objects.filter(action=ALERT).exists()


def test_a_marked_refund_is_asked_less_and_less_often_but_always_again(staff, bill,
                                                                       django_capture_on_commit_callbacks):  # fmt: skip
    refund = pending_refund(staff, bill, "razorpay", django_capture_on_commit_callbacks, days_ago=12)
    marked_at = timezone.now()
    patient_refunds_overdue_watch(now=marked_at)
    waits = []

    for _ in range(8):
        refund.refresh_from_db()
        due = refund.status_next_ask_at
        assert patient_refunds_overdue_watch(now=due - timedelta(seconds=1))["asked"] == 0
        assert patient_refunds_overdue_watch(now=due) == {**NOTHING, "asked": 1, "still_pending": 1}
        refund.refresh_from_db()
        waits.append((refund.status_next_ask_at - due) / timedelta(hours=1))

    # As long again as it has been marked: an hour at least, a day at most, for as long as it is pending.
    assert waits == [1, 2, 4, 8, 16, 24, 24, 24]
    assert (refund.status, refund.attention_since) == ("pending", marked_at)


def test_a_gateway_that_cannot_answer_is_asked_again_later(staff, bill, django_capture_on_commit_callbacks):
    refund = pending_refund(staff, bill, "razorpay", django_capture_on_commit_callbacks, days_ago=12)
    now = timezone.now()
    patient_refunds_overdue_watch(now=now)
    # The gateway refuses our keys (401): it says nothing about the refund.
    SandboxMerchant.objects.filter(provider="razorpay").update(key_secret="rotated-elsewhere")

    counts = patient_refunds_overdue_watch(now=now + timedelta(hours=1))

    refund.refresh_from_db()
    assert counts == {**NOTHING, "asked": 1, "unanswered": 1}
    assert (refund.status, refund.status_next_ask_at) == ("pending", now + timedelta(hours=2))
    assert refund.attention_reason is not None


@pytest.mark.parametrize("provider", ["razorpay", "paytm"])
def test_when_the_gateway_processes_it_the_mark_goes(
    staff, bill, provider, django_capture_on_commit_callbacks
):
    refund = pending_refund(staff, bill, provider, django_capture_on_commit_callbacks, days_ago=12)
    now = timezone.now()
    patient_refunds_overdue_watch(now=now)
    refund.refresh_from_db()
    reason = refund.attention_reason
    gateway_processes(provider)

    counts = patient_refunds_overdue_watch(now=now + timedelta(hours=1))

    refund.refresh_from_db()
    refund.payment.refresh_from_db()
    assert counts == {**NOTHING, "asked": 1, "resolved": 1}
    assert (refund.status, refund.attention_reason, refund.attention_since, refund.status_next_ask_at) == (
        "processed",
        None,
        None,
        None,
    )
    assert (refund.payment.status, refund.payment.amount_refunded) == (
        "partially_refunded",
        Decimal("500.00"),
    )
    processed = AuditEntry.objects.get(action="patient_refund.processed")
    assert processed.changes["attention"] == {"from": reason, "to": None}
    assert patient_refunds_overdue_watch(now=now + timedelta(days=30)) == NOTHING
