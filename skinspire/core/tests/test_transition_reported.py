"""`transition_reported` (skinspire.core.transitions): a status a gateway reports moves the
row as `transition` would, and a move the table does not know from where the row is (the
gateway contradicting itself, or its late word) is recorded as ignored, not raised."""

import logging

import pytest

from skinspire.core.models import StatusTransition
from skinspire.core.tests.state_machine_app.models import TrialPayout
from skinspire.core.transitions import transition_reported

pytestmark = pytest.mark.django_db

WEBHOOK = "webhook:razorpay:evt_Q1"


def test_an_allowed_move_applies_as_transition_would():
    payout = TrialPayout.objects.create(reference="PO-1", status="processing")

    record = transition_reported(
        instance=payout, to="processed", reason="payout.processed", event_reference=WEBHOOK
    )

    payout.refresh_from_db()
    assert (payout.status, record.outcome, record.event_reference) == ("processed", "applied", WEBHOOK)


def test_a_contrary_move_is_recorded_as_ignored_with_a_warning(caplog):
    payout = TrialPayout.objects.create(reference="PO-1", status="processed")
    payout.status = "processing"  # the caller's copy is behind: the database's status counts

    with caplog.at_level(logging.WARNING, logger="skinspire.core.transitions"):
        record = transition_reported(
            instance=payout, to="failed", reason="payout.failed", event_reference=WEBHOOK
        )

    assert payout.status == "processed"
    payout.refresh_from_db()
    assert payout.status == "processed"
    assert StatusTransition.objects.get() == record
    assert (record.from_state, record.to_state, record.outcome, record.event_reference) == (
        "processed",
        "failed",
        "ignored",
        WEBHOOK,
    )
    assert record.reason == "Ignored, not a move from processed: payout.failed"
    assert f"TrialPayout {payout.pk}: processed -> failed ignored" in caplog.text


def test_a_stale_move_is_ignored_as_transition_ignores_it():
    payout = TrialPayout.objects.create(reference="PO-1", status="processed")

    record = transition_reported(instance=payout, to="processing", reason="late", event_reference=WEBHOOK)

    assert (record.from_state, record.to_state, record.outcome, record.reason) == (
        "processed",
        "processing",
        "ignored",
        "late",
    )
