"""Racing transitions on PostgreSQL, with real threads and connections: one wins, none is lost."""

import threading
import time

import pytest
from django.db import connection, transaction

from skinspire.core.errors import IllegalTransitionError
from skinspire.core.models import StatusTransition
from skinspire.core.tests.state_machine_app.models import TrialPayout
from skinspire.core.transitions import transition

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_in_thread(target, results, key):
    def body():
        try:
            results[key] = target()
        except IllegalTransitionError as error:
            results[key] = error
        finally:
            connection.close()

    thread = threading.Thread(target=body)
    thread.start()
    return thread


def other_backends_waiting_on_a_lock() -> int:
    with connection.cursor() as cursor:
        # Inside a transaction PostgreSQL keeps showing the first snapshot of the activity view.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def backends_waiting_on_a_lock(at_least: int = 1, *, seconds: float = 20) -> int:
    """How many other backends wait on a lock, once `at_least` do or `seconds` have passed:
    what a test holding a lock waits for before it lets go."""
    deadline = time.monotonic() + seconds
    while (waiting := other_backends_waiting_on_a_lock()) < at_least and time.monotonic() < deadline:
        time.sleep(0.02)
    return waiting


def test_a_second_mover_waits_for_the_first_and_then_sees_its_result(postgres_only):
    """A moves processing -> processed and holds its transaction open; B asks for the same
    move meanwhile. B must block on the row lock (seen in pg_stat_activity), then find
    "processed" and record its repeat as ignored; without the lock both would apply."""
    payout = TrialPayout.objects.create(reference="PO-1", status="processing")
    a_holds_lock, results = threading.Event(), {}
    blocked = {}

    def first():
        with transaction.atomic():
            record = transition(
                instance=TrialPayout(pk=payout.pk), to="processed", reason="A", event_reference="evt:A"
            )
            a_holds_lock.set()
            blocked["B"] = backends_waiting_on_a_lock()
        return record

    def second():
        a_holds_lock.wait(20)
        return transition(
            instance=TrialPayout(pk=payout.pk), to="processed", reason="B", event_reference="evt:B"
        )

    threads = [run_in_thread(first, results, "A"), run_in_thread(second, results, "B")]
    for thread in threads:
        thread.join(timeout=60)

    assert blocked["B"] == 1
    assert (results["A"].from_state, results["A"].outcome) == ("processing", "applied")
    assert (results["B"].from_state, results["B"].outcome) == ("processed", "ignored")
    assert TrialPayout.objects.get(pk=payout.pk).status == "processed"
    history = list(
        StatusTransition.objects.values_list("event_reference", "from_state", "to_state", "outcome")
    )
    assert history == [
        ("evt:A", "processing", "processed", "applied"),
        ("evt:B", "processed", "processed", "ignored"),
    ]


def test_racing_conflicting_events_apply_exactly_once(postgres_only):
    """Eight threads released together, half saying "processed" and half "failed"."""
    payout = TrialPayout.objects.create(reference="PO-1", status="processing")
    targets = ["processed", "failed"] * 4
    start, results = threading.Barrier(len(targets)), {}

    def mover(number, target):
        def move():
            start.wait(20)
            return transition(
                instance=TrialPayout(pk=payout.pk), to=target, reason="race", event_reference=f"evt:{number}"
            )

        return move

    threads = [run_in_thread(mover(number, target), results, number) for number, target in enumerate(targets)]
    for thread in threads:
        thread.join(timeout=60)

    applied = [
        number
        for number, result in results.items()
        if isinstance(result, StatusTransition) and result.applied
    ]
    assert len(results) == len(targets)
    assert len(applied) == 1
    winner = targets[applied[0]]
    assert TrialPayout.objects.get(pk=payout.pk).status == winner
    for number, result in results.items():
        if number in applied:
            continue
        if targets[number] == winner:
            assert (result.from_state, result.outcome) == (winner, "ignored")
        else:
            assert isinstance(result, IllegalTransitionError)
            assert result.extra["from"] == winner
    assert StatusTransition.objects.filter(outcome="applied").count() == 1
    assert StatusTransition.objects.filter(outcome="ignored").count() == 3
