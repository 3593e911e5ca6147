"""A counter refund whose request stopped between recording it and marking it paid back (a
worker killed, a deploy) is left pending, holding back the patient's refundable amount. The
sweep fails it after ten minutes with a reason for staff, posts nothing to the ledger, and
leaves young, finished and gateway refunds alone; it is a task scheduled every five minutes."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from skinspire.collections import schedules
from skinspire.collections.models import PatientRefund
from skinspire.collections.services import refunds
from skinspire.collections.services.counter_refunds import (
    COUNTER_REFUND_CONFIRM_WITHIN,
    patient_refunds_counter_unconfirmed_fail,
)
from skinspire.collections.services.payments import patient_payment_manual_record
from skinspire.collections.services.refunds import patient_refund_create, refundable_amount
from skinspire.collections.tasks import patient_refunds_counter_unconfirmed
from skinspire.collections.tests.factories import PatientPaymentFactory
from skinspire.collections.tests.support import entries_for, history_of
from skinspire.core.models import AuditEntry, StatusTransition

pytestmark = pytest.mark.django_db


class RequestStopped(BaseException):
    """The worker ending mid-request: nothing after the point it is raised runs."""


def stop_request(**kwargs):
    raise RequestStopped


@pytest.fixture
def cash(bill, staff_user):
    return patient_payment_manual_record(actor=staff_user, bill=bill, amount="1500.00", method="cash")


def stranded_refund(payment, actor, monkeypatch, *, recorded_ago: timedelta, key: str = "") -> PatientRefund:
    """A counter refund recorded by the real service, whose request stopped before marking it paid back."""
    with monkeypatch.context() as patched:
        patched.setattr(refunds, "patient_refund_processed", stop_request)
        with pytest.raises(RequestStopped):
            patient_refund_create(actor=actor, payment=payment, amount="400.00", reason="Duplicate charge",
                                  idempotency_key=key)  # fmt: skip
    refund = PatientRefund.objects.get(payment=payment)
    PatientRefund.objects.filter(pk=refund.pk).update(created_at=timezone.now() - recorded_ago)
    return refund


def test_a_counter_refund_left_pending_is_failed_with_why_and_frees_the_amount(cash, staff_user, monkeypatch):
    stranded = stranded_refund(cash, staff_user, monkeypatch, recorded_ago=timedelta(minutes=11))
    assert refundable_amount(payment=cash) == Decimal("1100.00")  # held back while pending

    assert patient_refunds_counter_unconfirmed_fail() == [stranded.pk]

    stranded.refresh_from_db()
    cash.refresh_from_db()
    assert (stranded.status, stranded.failure_code, stranded.processed_at) == (
        "failed",
        "counter_unconfirmed",
        None,
    )
    recorded = timezone.localtime(stranded.created_at).strftime("%d %b %Y %H:%M")
    assert stranded.failure_reason == (
        f"Recorded at the counter on {recorded}, but the request stopped before the refund was confirmed, "
        "so no money is recorded as paid back. If the patient was paid, record the refund again."
    )
    assert refundable_amount(payment=cash) == Decimal("1500.00")
    assert (cash.status, cash.amount_refunded) == ("captured", Decimal("0.00"))
    assert entries_for(stranded) == []  # the ledger never saw money go back
    moved = StatusTransition.objects.get(object_id=str(stranded.pk), content_type__model="patientrefund")
    assert (moved.from_state, moved.to_state, moved.outcome, moved.event_reference, moved.actor_id) == (
        "pending",
        "failed",
        "applied",
        f"sweep:counter-refund:{stranded.reference}",
        None,
    )
    audit = AuditEntry.objects.get(object_id=str(stranded.pk), action="patient_refund.failed")
    assert (audit.message, audit.actor_id) == (stranded.failure_reason, None)


def test_recording_it_again_refunds_the_patient_once(cash, bill, staff_user, monkeypatch):
    stranded_refund(cash, staff_user, monkeypatch, recorded_ago=timedelta(hours=1))
    patient_refunds_counter_unconfirmed_fail()

    again = patient_refund_create(actor=staff_user, payment=cash, amount="400.00", reason="Duplicate charge")

    cash.refresh_from_db()
    bill.refresh_from_db()
    assert again.status == "processed"
    assert (cash.status, cash.amount_refunded, bill.amount_paid) == (
        "partially_refunded",
        Decimal("400.00"),
        Decimal("1100.00"),
    )


def test_young_finished_and_gateway_refunds_are_left_alone(cash, bill, staff_user, monkeypatch):
    young = stranded_refund(
        cash, staff_user, monkeypatch, recorded_ago=COUNTER_REFUND_CONFIRM_WITHIN - timedelta(minutes=1)
    )
    done = patient_refund_create(actor=staff_user, payment=cash, amount="100.00", reason="Part")
    online = PatientPaymentFactory(bill=bill, status="captured", gateway_order_id="order_1")
    waiting = PatientRefund.objects.create(hospital=bill.hospital, branch=bill.branch, payment=online,
                                           amount=Decimal("10.00"), reason="At the gateway")  # fmt: skip
    old = timezone.now() - timedelta(days=1)
    PatientRefund.objects.filter(pk__in=[done.pk, waiting.pk]).update(created_at=old)

    assert patient_refunds_counter_unconfirmed_fail() == []

    statuses = dict(PatientRefund.objects.values_list("pk", "status"))
    assert statuses == {young.pk: "pending", done.pk: "processed", waiting.pk: "pending"}
    assert history_of(young) == []


def test_a_refund_the_late_request_confirms_after_the_sweep_stays_failed(cash, staff_user, monkeypatch):
    """The request was slow, not dead: its processed comes after the failure and is recorded
    as ignored, so the patient is never both refunded and not."""
    stranded = stranded_refund(cash, staff_user, monkeypatch, recorded_ago=timedelta(minutes=30))
    patient_refunds_counter_unconfirmed_fail()

    refunds.patient_refund_processed(refund=stranded, reason="Paid back at the counter", actor=staff_user)

    stranded.refresh_from_db()
    cash.refresh_from_db()
    assert (stranded.status, cash.amount_refunded, entries_for(stranded)) == ("failed", Decimal("0.00"), [])
    assert history_of(stranded) == [("pending", "failed", "applied"), ("failed", "processed", "ignored")]


def test_the_sweep_is_a_task_scheduled_every_five_minutes(cash, staff_user, monkeypatch):
    stranded = stranded_refund(cash, staff_user, monkeypatch, recorded_ago=timedelta(hours=2))
    (definition,) = [
        item for item in schedules.PERIODIC_TASKS if item["task"] == patient_refunds_counter_unconfirmed.name
    ]

    assert (definition["name"], definition["every_seconds"]) == (
        "collections: fail counter refunds left unconfirmed",
        300,
    )
    assert patient_refunds_counter_unconfirmed.delay().get() == [stranded.pk]
    assert PatientRefund.objects.get(pk=stranded.pk).status == "failed"
    assert patient_refunds_counter_unconfirmed.delay().get() == []  # once


def test_the_same_form_sent_again_confirms_the_refund_its_first_submit_left_pending(
    cash, bill, staff_user, monkeypatch
):
    """The cashier saw an error and submits again: the retry (same key) is their word that the
    money went back, so it finishes the first refund rather than leaving it to the sweep."""
    stranded_refund(cash, staff_user, monkeypatch, recorded_ago=timedelta(seconds=5), key="form-1")

    retried = patient_refund_create(actor=staff_user, payment=cash, amount="400.00", reason="Duplicate charge",
                                    idempotency_key="form-1")  # fmt: skip

    cash.refresh_from_db()
    assert (retried.status, PatientRefund.objects.count()) == ("processed", 1)
    assert (cash.status, cash.amount_refunded) == ("partially_refunded", Decimal("400.00"))
    assert len(entries_for(retried)) == 1
    assert patient_refunds_counter_unconfirmed_fail(now=timezone.now() + timedelta(hours=1)) == []


def test_the_same_form_sent_after_the_sweep_shows_the_failed_refund(cash, staff_user, monkeypatch):
    stranded = stranded_refund(cash, staff_user, monkeypatch, recorded_ago=timedelta(hours=1), key="form-2")
    patient_refunds_counter_unconfirmed_fail()

    retried = patient_refund_create(actor=staff_user, payment=cash, amount="400.00", reason="Duplicate charge",
                                    idempotency_key="form-2")  # fmt: skip

    cash.refresh_from_db()
    assert (retried.pk, retried.status, cash.amount_refunded) == (stranded.pk, "failed", Decimal("0.00"))
