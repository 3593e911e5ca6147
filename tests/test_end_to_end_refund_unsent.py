"""A gateway refund committed pending whose request never reached the gateway (the worker
ended first) is sent by the sweep under its reference; one whose answer was lost is found by
that reference and not sent again; through both sandboxes, once however often the sweep runs."""

from datetime import timedelta

import pytest
from django.utils import timezone

from skinspire.collections import schedules
from skinspire.collections.models import PatientRefund
from skinspire.collections.services import refunds
from skinspire.collections.services.gateway_refunds_unsent import UNSENT_AFTER, patient_refunds_unsent_resolve
from skinspire.collections.tasks import patient_refunds_unsent
from skinspire.gateways.models import GatewayTransactionLog
from tests.test_end_to_end_collections_refunds import paid

pytestmark = pytest.mark.django_db


class RequestStopped(BaseException):
    """The worker ending mid-request: nothing after the point it is raised runs."""


def stop_request(**kwargs):
    raise RequestStopped


def stopped_refund(staff, payment, monkeypatch, *, stop_at: str) -> PatientRefund:
    """A ₹500 refund asked for through the API, whose request stopped at `stop_at`, recorded
    longer ago than UNSENT_AFTER."""
    with monkeypatch.context() as patched:
        patched.setattr(refunds, stop_at, stop_request)
        with pytest.raises(RequestStopped):
            staff.post(f"/api/patient-payments/{payment.pk}/refunds",
                       {"amount": "500.00", "reason": "Procedure cancelled"}, format="json")  # fmt: skip
    refund = PatientRefund.objects.get()
    PatientRefund.objects.filter(pk=refund.pk).update(
        created_at=timezone.now() - UNSENT_AFTER - timedelta(minutes=1)
    )
    return refund


def sent_to_gateway() -> int:
    return GatewayTransactionLog.objects.filter(operation="create_refund").count()


@pytest.mark.parametrize("provider", ["razorpay", "paytm"])
def test_a_refund_never_sent_is_sent_once_by_the_sweep(staff, bill, provider, monkeypatch,
                                                       django_capture_on_commit_callbacks):  # fmt: skip
    payment = paid(staff, bill, provider, django_capture_on_commit_callbacks)
    refund = stopped_refund(staff, payment, monkeypatch, stop_at="patient_refund_send")
    assert (refund.status, refund.gateway_refund_id, sent_to_gateway()) == ("pending", "", 0)

    counts = patient_refunds_unsent_resolve()

    refund.refresh_from_db()
    assert counts == {"asked": 1, "found": 0, "sent": 1, "unanswered": 0}
    # The gateway's id, and pending as its answer said: its refund webhook completes it.
    assert (refund.status, refund.gateway_refund_id != "") == ("pending", True)
    assert sent_to_gateway() == 1
    assert patient_refunds_unsent_resolve() == {"asked": 0, "found": 0, "sent": 0, "unanswered": 0}
    assert sent_to_gateway() == 1


@pytest.mark.parametrize("provider", ["razorpay", "paytm"])
def test_a_refund_whose_answer_was_lost_is_found_not_sent_again(staff, bill, provider, monkeypatch,
                                                                django_capture_on_commit_callbacks):  # fmt: skip
    payment = paid(staff, bill, provider, django_capture_on_commit_callbacks)
    refund = stopped_refund(staff, payment, monkeypatch, stop_at="patient_refund_apply_result")
    assert (refund.gateway_refund_id, sent_to_gateway()) == ("", 1)

    counts = patient_refunds_unsent_resolve()

    refund.refresh_from_db()
    assert counts == {"asked": 1, "found": 1, "sent": 0, "unanswered": 0}
    assert (refund.status, refund.gateway_refund_id != "") == ("pending", True)
    assert sent_to_gateway() == 1


def test_young_refunds_are_left_to_their_request(
    staff, bill, monkeypatch, django_capture_on_commit_callbacks
):
    payment = paid(staff, bill, "razorpay", django_capture_on_commit_callbacks)
    refund = stopped_refund(staff, payment, monkeypatch, stop_at="patient_refund_send")
    PatientRefund.objects.filter(pk=refund.pk).update(created_at=timezone.now() - timedelta(minutes=2))

    assert patient_refunds_unsent.delay().get() == {"asked": 0, "found": 0, "sent": 0, "unanswered": 0}
    assert sent_to_gateway() == 0
    (definition,) = [item for item in schedules.PERIODIC_TASKS if item["task"] == patient_refunds_unsent.name]
    assert definition["every_seconds"] == 300
