"""A run stores its items while the engine works: the engine hands over each outcome once, as
soon as it is final, and a thread COPYs them inside the run's transaction. What is stored is
what the engine found, and a failure on either side (the engine, formatting, PostgreSQL
refusing a value) rolls the whole run back and marks it failed."""

import itertools
import threading
from collections import Counter

import pytest
from django.db import connection

from skinspire.reconciliation import selectors
from skinspire.reconciliation.engine import Pass, passes, reconcile
from skinspire.reconciliation.models import Discrepancy, ReconciliationItem, ReconciliationRun
from skinspire.reconciliation.services import results, runs
from skinspire.reconciliation.system_sources import register_system_source, unregister_system_source
from skinspire.reconciliation.tests.admin_support import finished_run
from skinspire.reconciliation.tests.labelled import AS_OF, labelled_data

COMPARED = [
    "side", "key", "group", "category", "match_pass", "rule", "score", "kind", "row_status", "gateway_id", "utr",
    "reference", "transaction_date", "amount", "fee", "tax", "amount_difference", "fee_difference",
]  # fmt: skip


def test_the_engine_hands_over_every_outcome_once_and_its_result_is_unchanged():
    data = labelled_data(payments=400)
    batches = []

    result = reconcile(
        gateway_rows=data.gateway, system_rows=data.system, as_of=AS_OF, on_final=batches.append
    )

    assert result == reconcile(gateway_rows=data.gateway, system_rows=data.system, as_of=AS_OF)
    assert Counter(outcome for batch in batches for outcome in batch) == Counter(result.outcomes)
    first, rest = batches  # the unique-id pairs first, then everything else at the end
    assert all(outcome.match_pass == Pass.GATEWAY_ID for outcome in first)
    assert len(first) > 0.8 * len(result.outcomes) and rest


@pytest.mark.django_db
def test_a_run_stores_exactly_the_items_of_the_engine_result(configuration, monkeypatch):
    """Against items built by the ORM from the same result (the SQLite path): every value the
    same, whatever the chunking (small chunks here, so that a run spans many)."""
    data = labelled_data(payments=300)
    monkeypatch.setattr(results, "OUTCOMES_PER_CHUNK", 7)
    seen = {}
    engine = runs.reconcile

    def recording(**arguments):
        seen.update(arguments, result=engine(**arguments))
        return seen["result"]

    monkeypatch.setattr(runs, "reconcile", recording)
    register_system_source("zz-labelled", lambda **_: list(data.system))
    try:
        run = runs.reconciliation_run_start(
            configuration=configuration, run_date=AS_OF, trigger="upload", gateway_rows=list(data.gateway)
        )
    finally:
        unregister_system_source("zz-labelled")
    assert run.status == "completed", run.error_message
    by_orm = ReconciliationRun.objects.create(
        hospital_id=configuration.hospital_id,
        configuration=configuration,
        run_date=AS_OF,
        trigger="upload",
        rules=selectors.rules_as_json(selectors.matching_rules_for(configuration)),
    )
    gateway = {row.key: row for row in seen["gateway_rows"]}
    system = {row.key: row for row in seen["system_rows"]}
    results._insert(
        results._as_fields(values)
        for values in results._items(by_orm, seen["result"].outcomes, gateway, system)
    )

    stored = list(run.items.order_by("side", "key").values_list(*COMPARED))
    assert stored == list(by_orm.items.order_by("side", "key").values_list(*COMPARED))
    assert len(stored) == len(data.gateway) + len(data.system)


def assert_failed_with_nothing_kept(run, message_part: str):
    stored = ReconciliationRun.objects.get(pk=run.pk)
    assert stored.status == "failed"
    assert message_part in stored.error_message
    assert stored.error_message.startswith("The run failed while storing its results")
    assert stored.matched_count == 0
    assert not ReconciliationItem.objects.exists()
    assert not Discrepancy.objects.exists()


@pytest.mark.django_db
def test_a_formatting_failure_in_the_store_thread_rolls_the_run_back(configuration, monkeypatch):
    def broken(*arguments):
        raise RuntimeError("formatting broke")

    # The COPY thread formats pairs a column at a time; the ORM path (SQLite) builds tuples.
    monkeypatch.setattr(results, "_pair_lines" if connection.vendor == "postgresql" else "_items", broken)

    run = finished_run(configuration)

    assert_failed_with_nothing_kept(run, "formatting broke")


class Interrupted(BaseException):
    """Not an Exception: what a thread may die of without the run's `except Exception`."""


@pytest.mark.django_db
def test_a_store_thread_that_dies_of_a_base_exception_keeps_nothing(configuration, monkeypatch):
    def dying(*arguments):
        raise Interrupted

    monkeypatch.setattr(results, "_pair_lines" if connection.vendor == "postgresql" else "_items", dying)

    # Raised out of the run, not swallowed: a thread that died silently would have let the COPY
    # end as if complete, and the run complete without its items.
    with pytest.raises(Interrupted):
        finished_run(configuration)

    assert not ReconciliationItem.objects.exists()
    assert not ReconciliationRun.objects.filter(status="completed").exists()


@pytest.mark.django_db
def test_a_value_the_database_refuses_mid_store_rolls_the_run_back(configuration, monkeypatch):
    if connection.vendor == "postgresql":  # a date PostgreSQL cannot read, in the middle of the COPY
        pair_lines = results._pair_lines

        def bad_dates(*arguments):
            gateway_lines, system_lines = pair_lines(*arguments)
            return [line.replace("\t2026-", "\t2026x") for line in gateway_lines], system_lines

        monkeypatch.setattr(results, "_pair_lines", bad_dates)
        refused = "date"
    else:  # SQLite reads any text as a date: an item of no run instead (migration 0007's trigger)
        as_fields = results._as_fields
        monkeypatch.setattr(results, "_as_fields", lambda values: {**as_fields(values), "run_id": 10**9})
        refused = "names a run that does not exist"

    run = finished_run(configuration)

    assert_failed_with_nothing_kept(run, refused)


@pytest.mark.django_db
def test_an_engine_failure_after_storing_began_rolls_the_run_back(configuration, monkeypatch):
    handed_over = []

    def broken_fuzzy(pool, rules):
        handed_over.append(True)
        raise ValueError("fuzzy pass broke")

    monkeypatch.setattr(passes, "fuzzy", broken_fuzzy)

    run = finished_run(configuration)

    assert handed_over  # the pair was with the store by then
    assert_failed_with_nothing_kept(run, "fuzzy pass broke")
    assert ReconciliationRun.objects.filter(status="running").count() == 0


def test_a_batch_is_written_gateway_items_first_each_side_in_key_order(monkeypatch):
    """As the unique (run, side, key) index holds them, so PostgreSQL adds at its end."""
    data = labelled_data(payments=300)
    monkeypatch.setattr(results, "OUTCOMES_PER_CHUNK", 13)
    outcomes = reconcile(gateway_rows=data.gateway, system_rows=data.system, as_of=AS_OF).outcomes
    gateway, system = {row.key: row for row in data.gateway}, {row.key: row for row in data.system}
    chunks: list[str] = []

    results._write_outcomes(
        chunks.append, ReconciliationRun(pk=7), outcomes, gateway, system, threading.Event()
    )

    items = [line.split("\t")[:2] for chunk in chunks for line in chunk.splitlines()]
    sides = [side for _, side in items]
    assert sides == sorted(sides)  # every gateway item before the first system item
    assert len(items) == len(data.gateway) + len(data.system) and len(chunks) > 2
    for side, position in (("gateway", 1), ("system", 2)):
        keys = [key for key, of in items if of == side]
        # In key order, but for the other rows of an outcome of several (one line for three
        # payments): they come with the outcome's first.
        out_of_order = sum(1 for before, after in itertools.pairwise(keys) if before > after)
        assert out_of_order <= sum(1 for outcome in outcomes if len(outcome[position]) > 1)
