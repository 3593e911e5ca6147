"""transition(): applies allowed moves, records stale and repeated ones as ignored, refuses
illegal ones with a 409, and always leaves one history row per accepted call."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction

from skinspire.core.api import exception_handler
from skinspire.core.errors import ConflictError, IllegalTransitionError
from skinspire.core.models import Hospital, StatusTransition
from skinspire.core.selectors import transition_history
from skinspire.core.tests.factories import UserFactory
from skinspire.core.tests.state_machine_app.models import TrialPayout
from skinspire.core.transitions import _write_status, transition

pytestmark = pytest.mark.django_db

WEBHOOK = "webhook:razorpay:evt_Q1"


def make_payout(status: str) -> TrialPayout:
    payout = TrialPayout.objects.create(reference="PO-1", status=status)
    # Backdate, so a test can tell whether the move touched updated_at.
    TrialPayout.objects.filter(pk=payout.pk).update(updated_at=payout.updated_at - timedelta(hours=1))
    payout.refresh_from_db()
    return payout


def test_an_allowed_move_changes_the_status_and_records_who_asked():
    payout = make_payout("queued")
    before = payout.updated_at
    user = UserFactory()

    record = transition(instance=payout, to="processing", reason="Sent to the gateway", actor=user)

    payout.refresh_from_db()
    assert payout.status == "processing"
    assert payout.updated_at > before
    assert record.applied is True
    row = StatusTransition.objects.get()
    assert (row.content_type, row.object_id) == (
        ContentType.objects.get_for_model(TrialPayout),
        str(payout.pk),
    )
    assert (row.from_state, row.to_state, row.outcome) == ("queued", "processing", "applied")
    assert (row.reason, row.actor, row.event_reference) == ("Sent to the gateway", user, "")


def test_a_gateway_event_can_be_the_one_who_asked():
    payout = make_payout("processing")
    transition(instance=payout, to="processed", reason="payout.processed", event_reference=WEBHOOK)
    row = StatusTransition.objects.get()
    assert (row.actor, row.event_reference, row.outcome) == (None, WEBHOOK, "applied")


def test_a_repeated_event_is_recorded_as_ignored_and_changes_nothing():
    payout = make_payout("processed")
    before = payout.updated_at

    record = transition(
        instance=payout, to="processed", reason="payout.processed again", event_reference=WEBHOOK
    )

    payout.refresh_from_db()
    assert (payout.status, payout.updated_at) == ("processed", before)
    assert (record.from_state, record.to_state, record.outcome) == ("processed", "processed", "ignored")
    assert record.applied is False


def test_a_late_earlier_state_never_moves_the_status_backwards():
    payout = make_payout("processed")
    before = payout.updated_at

    record = transition(
        instance=payout, to="processing", reason="payout.processing, late", event_reference=WEBHOOK
    )

    payout.refresh_from_db()
    assert (payout.status, payout.updated_at) == ("processed", before)
    assert (record.from_state, record.to_state, record.outcome) == ("processed", "processing", "ignored")


def test_an_illegal_move_raises_a_409_and_writes_nothing():
    payout = make_payout("processed")
    before = payout.updated_at

    with pytest.raises(IllegalTransitionError) as raised:
        transition(instance=payout, to="failed", reason="payout.failed", event_reference=WEBHOOK)

    assert raised.value.message == f"Trial payout {payout.pk} is processed and cannot become failed."
    assert raised.value.extra == {
        "model": "core_state_machine_tests.trialpayout",
        "id": payout.pk,
        "from": "processed",
        "to": "failed",
        "allowed": ["reversed"],
    }
    response = exception_handler(raised.value, {})
    assert response.status_code == 409
    assert response.data == {"message": raised.value.message, "extra": raised.value.extra}
    payout.refresh_from_db()
    assert (payout.status, payout.updated_at) == ("processed", before)
    assert StatusTransition.objects.count() == 0


def test_the_decision_is_taken_on_the_database_row_not_the_callers_copy():
    payout = make_payout("queued")
    stale_copy = TrialPayout.objects.get(pk=payout.pk)
    transition(instance=payout, to="processed", reason="processed", event_reference=WEBHOOK)

    # The stale copy still says "queued", from where "processing" would be allowed.
    record = transition(instance=stale_copy, to="processing", reason="late", event_reference=WEBHOOK)

    assert (record.from_state, record.outcome) == ("processed", "ignored")
    assert stale_copy.status == "processed"  # the caller's copy now says what the database says
    assert TrialPayout.objects.get(pk=payout.pk).status == "processed"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"reason": " ", "event_reference": WEBHOOK}, "A transition needs a reason."),
        ({"reason": "why"}, "A transition needs an actor or an event reference."),
    ],
)
def test_a_move_without_a_reason_or_a_source_is_refused(arguments, message):
    payout = make_payout("queued")
    with pytest.raises(ValueError, match=message):
        transition(instance=payout, to="processing", **arguments)
    payout.refresh_from_db()
    assert payout.status == "queued"
    assert StatusTransition.objects.count() == 0


def test_a_model_without_a_table_is_refused():
    hospital = Hospital.objects.create(name="H", code="h")
    with pytest.raises(ImproperlyConfigured, match="core.Hospital declares no `state_machine`"):
        transition(instance=hospital, to="closed", reason="why", event_reference=WEBHOOK)


def test_the_conditional_update_refuses_to_overwrite_a_status_that_moved():
    payout = make_payout("processed")
    with pytest.raises(ConflictError, match="changed at the same moment"):
        _write_status(TrialPayout, pk=payout.pk, current="processing", target="failed")
    payout.refresh_from_db()
    assert payout.status == "processed"


def test_history_lists_one_objects_moves_in_order():
    payout = make_payout("queued")
    other = make_payout("queued")
    for target in ["processing", "processed", "processing", "reversed"]:
        transition(instance=payout, to=target, reason=f"to {target}", event_reference=WEBHOOK)
    transition(instance=other, to="cancelled", reason="cancelled", event_reference=WEBHOOK)

    moves = [(row.from_state, row.to_state, row.outcome) for row in transition_history(instance=payout)]
    assert moves == [
        ("queued", "processing", "applied"),
        ("processing", "processed", "applied"),
        ("processed", "processing", "ignored"),
        ("processed", "reversed", "applied"),
    ]


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"outcome": "applied", "reason": "why"}, "core_transition_has_actor_or_event"),
        ({"outcome": "applied", "reason": "", "event_reference": WEBHOOK}, "core_transition_has_reason"),
        ({"outcome": "maybe", "reason": "why", "event_reference": WEBHOOK}, "core_transition_outcome_valid"),
    ],
)
def test_the_database_refuses_a_history_row_without_its_facts(fields, constraint):
    content_type = ContentType.objects.get_for_model(TrialPayout)
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        StatusTransition.objects.create(
            content_type=content_type, object_id="1", from_state="queued", to_state="processing", **fields
        )


@pytest.mark.postgres  # the lock clause and statement text are PostgreSQL's
def test_the_status_is_read_with_a_row_lock_and_written_conditionally_by_statements_compiled_once(
    postgres_only,
):
    """The lock read and the status UPDATE are compiled by the ORM once per model, then only
    executed: every transition still takes the row's lock, reads the row's own status, and
    writes only over the status it read (with updated_at)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first, second = make_payout("queued"), TrialPayout.objects.create(reference="PO-2", status="processing")
    with CaptureQueriesContext(connection) as queries:
        transition(instance=first, to="processing", reason="sent", event_reference=WEBHOOK)
        transition(instance=second, to="processed", reason="done", event_reference=WEBHOOK)

    table = TrialPayout._meta.db_table
    reads = [
        sql for query in queries.captured_queries if (sql := query["sql"]).startswith(f'SELECT "{table}"')
    ]
    assert len(reads) == 2 and reads[0].split("WHERE")[0] == reads[1].split("WHERE")[0]
    assert all("FOR NO KEY UPDATE" in sql or "FOR UPDATE" in sql for sql in reads)
    assert [f"= {payout.pk}" in sql for payout, sql in zip((first, second), reads, strict=True)] == [
        True,
        True,
    ]
    assert (first.status, second.status) == ("processing", "processed")
    updates = [
        sql for query in queries.captured_queries if (sql := query["sql"]).startswith(f'UPDATE "{table}"')
    ]
    assert len(updates) == 2 and all("updated_at" in sql for sql in updates)
    assert [f"= {payout.pk}" in sql for payout, sql in zip((first, second), updates, strict=True)] == [
        True,
        True,
    ]
    assert "'queued'" in updates[0] and "'processing'" in updates[1]  # WHERE status = current


def test_a_transition_of_a_deleted_row_raises_does_not_exist_and_records_nothing():
    payout = make_payout("queued")
    TrialPayout.objects.filter(pk=payout.pk).delete()

    with pytest.raises(TrialPayout.DoesNotExist):
        transition(instance=payout, to="processing", reason="sent", event_reference=WEBHOOK)
    assert not StatusTransition.objects.exists()
