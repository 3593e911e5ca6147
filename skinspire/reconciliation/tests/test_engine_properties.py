"""Properties over generated rows: the order of the input never changes the result, every row
ends in exactly one category, and a verdict is consistent with the rows it names."""

from datetime import timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from skinspire.reconciliation.engine import Category, Kind, MatchingRules, RowStatus, reconcile, scoring
from skinspire.reconciliation.tests.rows import DAY, gateway_row, system_row

# Small pools of values, so that ids, UTRs, amounts and references collide often.
ids = st.sampled_from(["", "", "pay_A", "pay_B", "pay_C", "rfnd_A"])
utrs = st.sampled_from(["", "", "UTR1", "UTR2"])
amounts = st.sampled_from([Decimal(text) for text in ("100.00", "100.50", "101.00", "200.00", "300.00")])
fees = st.sampled_from([None, Decimal("0.00"), Decimal("2.36")])
dates = st.integers(min_value=-4, max_value=4).map(lambda days: DAY + timedelta(days=days))
kinds = st.sampled_from([Kind.COLLECTION, Kind.REFUND, Kind.PAYOUT])
statuses = st.sampled_from(list(RowStatus))
references = st.sampled_from(["", "BILL-1", "bill-1", "BILL-12", "SUP-9"])

gateway_fields = st.fixed_dictionaries(
    {
        "gateway_id": ids,
        "utr": utrs,
        "amount": amounts,
        "fee": fees.map(lambda fee: fee or Decimal("0.00")),
        "status": statuses,
        "date": dates,
        "kind": kinds,
        "reference": references,
        "notes": references,
    }
)
system_fields = st.fixed_dictionaries(
    {
        "gateway_id": ids,
        "utr": utrs,
        "amount": amounts,
        "expected_fee": fees,
        "status": statuses,
        "date": dates,
        "kind": kinds,
        "reference": references,
    }
)
rules = st.builds(
    MatchingRules,
    date_window_days=st.integers(min_value=0, max_value=3),
    settlement_cycle_days=st.integers(min_value=0, max_value=3),
    amount_tolerance=st.sampled_from([Decimal("0.00"), Decimal("0.50"), Decimal("1.00")]),
    fee_tolerance=st.sampled_from([Decimal("0.00"), Decimal("2.36")]),
)


@st.composite
def inputs(draw):
    gateway = [
        gateway_row(f"g{index}", **fields)
        for index, fields in enumerate(draw(st.lists(gateway_fields, max_size=12)))
    ]
    system = [
        system_row(f"s{index}", **fields)
        for index, fields in enumerate(draw(st.lists(system_fields, max_size=12)))
    ]
    return gateway, system, draw(st.permutations(gateway)), draw(st.permutations(system)), draw(rules)


@settings(max_examples=300, deadline=None)
@given(inputs())
def test_the_order_of_the_input_does_not_change_the_result(drawn):
    gateway, system, shuffled_gateway, shuffled_system, chosen_rules = drawn

    first = reconcile(gateway_rows=gateway, system_rows=system, as_of=DAY, rules=chosen_rules)
    again = reconcile(
        gateway_rows=shuffled_gateway, system_rows=shuffled_system, as_of=DAY, rules=chosen_rules
    )

    assert first == again


@settings(max_examples=300, deadline=None)
@given(inputs())
def test_every_row_ends_in_exactly_one_category(drawn):
    gateway, system, _, _, chosen_rules = drawn

    result = reconcile(gateway_rows=gateway, system_rows=system, as_of=DAY, rules=chosen_rules)

    named = [("gateway", key) for outcome in result.outcomes for key in outcome.gateway_keys]
    named += [("system", key) for outcome in result.outcomes for key in outcome.system_keys]
    assert sorted(named) == sorted(
        [("gateway", row.key) for row in gateway] + [("system", row.key) for row in system]
    )
    assert sum(result.counts().values()) == len(gateway) + len(system)


@settings(max_examples=300, deadline=None)
@given(inputs())
def test_each_verdict_agrees_with_its_rows(drawn):
    gateway, system, _, _, chosen_rules = drawn
    gateway_by_key = {row.key: row for row in gateway}
    system_by_key = {row.key: row for row in system}

    result = reconcile(gateway_rows=gateway, system_rows=system, as_of=DAY, rules=chosen_rules)

    for outcome in result.outcomes:
        theirs = [gateway_by_key[key] for key in outcome.gateway_keys]
        ours = [system_by_key[key] for key in outcome.system_keys]
        if theirs and ours:
            assert len(theirs) == 1
            assert {row.kind for row in ours} == {theirs[0].kind}
            assert outcome.amount_difference == theirs[0].amount - sum(row.amount for row in ours)
            if outcome.category == Category.MATCHED:
                assert outcome.amount_difference == 0
                assert {row.status for row in ours} == {theirs[0].status}
        else:
            assert len(theirs) + len(ours) == 1
            assert outcome.score == Decimal("0.000")


@settings(max_examples=300, deadline=None)
@given(inputs())
def test_outcomes_come_in_sort_key_order(drawn):
    """The engine sorts cheaply (match._in_order); the order is still that of Outcome.sort_key."""
    gateway, system, _, _, chosen_rules = drawn

    result = reconcile(gateway_rows=gateway, system_rows=system, as_of=DAY, rules=chosen_rules)

    assert list(result.outcomes) == sorted(result.outcomes, key=lambda outcome: outcome.sort_key)


def test_a_run_forgets_the_references_it_normalised():
    """The cache of normalised references lasts one run, not the life of a worker."""
    row = gateway_row("g1", gateway_id="", reference="BILL-1")

    reconcile(gateway_rows=[row], system_rows=[system_row("s1", reference="BILL-1")], as_of=DAY)

    assert scoring.normalised.cache_info().currsize == 0
