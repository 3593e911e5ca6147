"""Money on a payment whose attempt had failed (a declined try the patient retried on the same
order) captures it and clears the failure: a captured payment shown with "declined" beside it
would tell staff the money did not come. The failure stays in its history."""

import pytest

from skinspire.collections.services.outcomes import patient_payment_outcome_apply
from skinspire.collections.tests.factories import PatientPaymentFactory
from skinspire.collections.tests.support import history_of
from skinspire.gateways.providers.interface import PaymentStatus

pytestmark = pytest.mark.django_db


def test_a_capture_after_a_declined_attempt_clears_the_failure(bill):
    payment = PatientPaymentFactory(bill=bill)
    patient_payment_outcome_apply(payment=payment, status=PaymentStatus.FAILED, amount=payment.amount,
                                  reason="Declined by the bank", event_reference="event:1",
                                  failure_code="BAD_REQUEST_ERROR", failure_reason="Payment declined")  # fmt: skip
    payment.refresh_from_db()
    assert (payment.status, payment.failure_code) == ("failed", "BAD_REQUEST_ERROR")

    patient_payment_outcome_apply(payment=payment, status=PaymentStatus.CAPTURED, amount=payment.amount,
                                  reason="Paid on the second try", event_reference="event:2")  # fmt: skip

    payment.refresh_from_db()
    assert (payment.status, payment.failure_code, payment.failure_reason) == ("captured", "", "")
    assert history_of(payment) == [("pending", "failed", "applied"), ("failed", "captured", "applied")]
