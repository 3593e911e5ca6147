"""A transition table judges moves without touching the database, and refuses bad tables."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from skinspire.core.state_machine import StateMachine, Verdict
from skinspire.core.tests.state_machine_app.models import TrialPayout

MACHINE = TrialPayout.state_machine


@pytest.mark.parametrize(
    ("current", "target", "verdict"),
    [
        ("queued", "processing", Verdict.APPLY),
        ("queued", "processed", Verdict.APPLY),  # a skip the table lists (a missed webhook)
        ("processing", "processed", Verdict.APPLY),
        ("processed", "reversed", Verdict.APPLY),
        ("processed", "processed", Verdict.REPEATED),
        ("failed", "failed", Verdict.REPEATED),
        ("processed", "processing", Verdict.STALE),  # a late "processing" after "processed"
        ("reversed", "queued", Verdict.STALE),
        ("failed", "processing", Verdict.STALE),
        ("processed", "failed", Verdict.ILLEGAL),  # sideways, same rank
        ("failed", "processed", Verdict.ILLEGAL),
        ("processing", "reversed", Verdict.ILLEGAL),  # a skip the table does not list
        ("processing", "cancelled", Verdict.ILLEGAL),
        ("failed", "reversed", Verdict.ILLEGAL),  # out of a final state, upwards
    ],
)
def test_judge(current, target, verdict):
    assert MACHINE.judge(current, target) is verdict


def test_an_unknown_state_is_a_programming_error():
    with pytest.raises(ValueError, match="'settled' is not a state of this machine"):
        MACHINE.judge("queued", "settled")


def test_states_and_choices_follow_rank_then_declaration_order():
    assert MACHINE.states == ["queued", "processing", "processed", "failed", "cancelled", "reversed"]
    assert MACHINE.choices[:2] == [("queued", "Queued"), ("processing", "Processing")]
    assert MACHINE.is_final("failed") is True
    assert MACHINE.is_final("processed") is False


def test_labels_can_be_given():
    machine = StateMachine(
        ranks={"on_hold": 0, "paid": 1},
        moves={"on_hold": {"paid"}},
        final={"paid"},
        labels={"paid": "Paid out"},
    )
    assert machine.choices == [("on_hold", "On hold"), ("paid", "Paid out")]


@pytest.mark.parametrize(
    ("table", "problem"),
    [
        (
            {"ranks": {"a": 0, "b": 1}, "moves": {"b": {"a"}}, "final": {"a"}},
            "'b' -> 'a' does not go to a higher rank",
        ),
        (
            {"ranks": {"a": 0, "b": 0}, "moves": {"a": {"b"}}, "final": {"b"}},
            "'a' -> 'b' does not go to a higher rank",
        ),
        (
            {"ranks": {"a": 0, "b": 1}, "moves": {"a": {"b"}, "b": {"c"}}, "final": {"b"}},
            "states without a rank: c",
        ),
        (
            {"ranks": {"a": 0, "b": 1}, "moves": {"a": {"b"}, "b": set()}, "final": {"b", "z"}},
            "states without a rank: z",
        ),
        (
            {"ranks": {"a": 0, "b": 1, "c": 2}, "moves": {"a": {"b"}, "b": {"c"}}, "final": {"b", "c"}},
            "final state 'b' has moves out of it",
        ),
        (
            {"ranks": {"a": 0, "b": 1, "c": 2}, "moves": {"a": {"b", "c"}}, "final": {"c"}},
            "'b' has no moves out of it and is not final",
        ),
    ],
)
def test_a_bad_table_is_refused_when_declared(table, problem):
    with pytest.raises(ImproperlyConfigured) as raised:
        StateMachine(**table)
    assert problem in str(raised.value)


def test_a_declared_table_cannot_be_changed_afterwards() -> None:
    with pytest.raises(TypeError):
        MACHINE.moves["processed"] = {"queued"}  # type: ignore[index]
