"""PatientPayment's transition table: forward only, late money still lands, history always."""

import pytest

from skinspire.collections.models import PatientPayment
from skinspire.collections.tests.factories import PatientPaymentFactory
from skinspire.core.errors import IllegalTransitionError
from skinspire.core.models import StatusTransition
from skinspire.core.state_machine import Verdict
from skinspire.core.transitions import transition

MACHINE = PatientPayment.state_machine


@pytest.mark.parametrize(
    ("current", "target", "verdict"),
    [
        ("pending", "authorized", Verdict.APPLY),
        ("pending", "captured", Verdict.APPLY),
        ("authorized", "captured", Verdict.APPLY),
        ("authorized", "failed", Verdict.APPLY),
        ("failed", "captured", Verdict.APPLY),  # captured at the gateway after we saw a failure
        ("captured", "partially_refunded", Verdict.APPLY),
        ("partially_refunded", "refunded", Verdict.APPLY),
        ("captured", "refunded", Verdict.APPLY),
        ("captured", "captured", Verdict.REPEATED),  # verify and webhook both arrive
        ("captured", "authorized", Verdict.STALE),
        ("captured", "failed", Verdict.STALE),
        ("refunded", "captured", Verdict.STALE),
        ("pending", "refunded", Verdict.ILLEGAL),
        ("failed", "refunded", Verdict.ILLEGAL),
    ],
)
def test_moves(current, target, verdict):
    assert MACHINE.judge(current, target) is verdict


def test_only_refunded_is_final():
    assert [state for state in MACHINE.states if MACHINE.is_final(state)] == ["refunded"]


@pytest.mark.django_db
def test_an_illegal_move_raises_and_records_nothing(bill):
    payment = PatientPaymentFactory(bill=bill)

    with pytest.raises(IllegalTransitionError):
        transition(instance=payment, to="refunded", reason="test", event_reference="test:1")

    assert StatusTransition.objects.count() == 0
    payment.refresh_from_db()
    assert payment.status == "pending"
