"""The timeline of a payment: every recorded move, by whom or which event, and ignored ones."""

import pytest
from django.template import Context, Template

from skinspire.core.tests.factories import UserFactory
from skinspire.core.tests.state_machine_app.models import TrialPayout
from skinspire.core.transitions import transition
from skinspire.workspace.timeline import timeline_of

pytestmark = pytest.mark.django_db


def test_each_move_says_who_or_which_event_and_why_oldest_first():
    payout = TrialPayout.objects.create(reference="pout_1")
    asha = UserFactory(first_name="Asha", last_name="Rao")
    transition(instance=payout, to="processing", reason="Sent to the gateway", actor=asha)
    transition(
        instance=payout, to="processed", reason="UTR received", event_reference="webhook:razorpay:evt_9"
    )
    transition(
        instance=payout, to="processing", reason="Late event", event_reference="webhook:razorpay:evt_8"
    )

    entries = timeline_of(payout)

    assert [(e.from_state, e.to_state, e.applied, e.who, e.reason, e.event_reference) for e in entries] == [
        ("queued", "processing", True, "Asha Rao", "Sent to the gateway", ""),
        ("processing", "processed", True, "Gateway / system", "UTR received", "webhook:razorpay:evt_9"),
        ("processed", "processing", False, "Gateway / system", "Late event", "webhook:razorpay:evt_8"),
    ]
    assert (entries[0].from_label, entries[0].to_label) == ("Queued", "Processing")


def test_the_tag_renders_badges_and_marks_ignored_moves():
    payout = TrialPayout.objects.create(reference="pout_2")
    transition(instance=payout, to="failed", reason="Account closed", event_reference="sync:status")
    transition(instance=payout, to="failed", reason="Duplicate webhook", event_reference="webhook:x")

    html = Template("{% load workspace %}{% status_timeline payout %}").render(Context({"payout": payout}))

    assert html.count('<li class="timeline-entry">') == 1
    assert html.count('<li class="timeline-entry timeline-ignored">') == 1
    assert '<span class="badge badge-danger" data-status="failed">Failed</span>' in html
    assert "By Gateway / system · event <code>sync:status</code>" in html
    assert "(ignored: already there or later)" in html


def test_no_history_says_so():
    html = Template("{% load workspace %}{% status_timeline payout %}").render(
        Context({"payout": TrialPayout.objects.create(reference="pout_3")})
    )
    assert "No status change recorded yet." in html
