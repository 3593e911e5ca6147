"""A release racing the patient's payment, on PostgreSQL with real threads. Both move the
payment under its row lock (core.transitions), so one waits for the other: a payment that
lands first makes the release's move stale (nothing released, staff told it arrived), and a
payment that lands after a release moves failed -> captured (failed ranks below captured):
the money is recorded either way, and posted once."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from skinspire.collections.models import PatientPayment
from skinspire.collections.services.checkout_release import patient_payment_checkout_release
from skinspire.collections.services.outcomes import patient_payment_outcome_apply
from skinspire.collections.tests.support import entries_for, history_of
from skinspire.core.tests.test_transition_concurrency import backends_waiting_on_a_lock

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def payment(postgres_only, demo_gateways, client_as, bill) -> PatientPayment:
    response = client_as("payments").post(
        "/api/patient-payment/create-order", {"bill_id": bill.pk, "provider": "razorpay"}, format="json"
    )
    assert response.status_code == 201, response.content
    return PatientPayment.objects.get(pk=response.json()["payment_id"])


def arrives(payment: PatientPayment) -> None:
    """What the webhook applies once the gateway says the patient paid."""
    patient_payment_outcome_apply(
        payment=PatientPayment.objects.get(pk=payment.pk), status="captured", amount=payment.amount,
        reason="Gateway event payment.captured", event_reference="webhook:razorpay:evt_race",
        gateway_payment_id="pay_race",
    )  # fmt: skip


def in_thread(work, results: dict) -> threading.Thread:
    def run():
        try:
            results["value"] = work()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_payment_landing_first_makes_the_release_record_it_instead(payment, user_with_role, bill):
    person = user_with_role("payments")
    results: dict = {}
    with transaction.atomic():
        arrives(payment)  # holds the payment's row lock until this block commits
        thread = in_thread(
            lambda: patient_payment_checkout_release(payment=payment, actor=person, reason="Patient left"),
            results,
        )
        waiting = backends_waiting_on_a_lock(1)
    thread.join(timeout=60)

    outcome = results["value"]
    payment.refresh_from_db()
    bill.refresh_from_db()
    assert waiting == 1
    assert not outcome.released
    assert outcome.message == (
        f"The patient's payment on {payment.reference} arrived meanwhile; it is recorded, not released."
    )
    assert (payment.status, payment.failure_code) == ("captured", "")
    assert history_of(payment) == [("pending", "captured", "applied"), ("captured", "failed", "ignored")]
    assert (bill.amount_paid, bill.status) == (Decimal("1500.00"), "paid")
    assert len(entries_for(payment)) == 1


def test_a_payment_landing_after_the_release_is_recorded(payment, user_with_role, bill):
    person = user_with_role("payments")
    results: dict = {}
    with transaction.atomic():
        outcome = patient_payment_checkout_release(payment=payment, actor=person, reason="Patient left")
        thread = in_thread(lambda: arrives(payment), results)
        waiting = backends_waiting_on_a_lock(1)
    thread.join(timeout=60)

    payment.refresh_from_db()
    bill.refresh_from_db()
    assert waiting == 1
    assert outcome.released
    assert payment.status == "captured"
    assert history_of(payment) == [("pending", "failed", "applied"), ("failed", "captured", "applied")]
    assert (bill.amount_paid, bill.status) == (Decimal("1500.00"), "paid")
    assert len(entries_for(payment)) == 1
