"""The bulk step for unique gateway ids changes no result: with it turned off (every row left
to the passes) the engine gives the same outcomes, on generated rows whose ids, kinds and
amounts collide often, and on the labelled data."""

from decimal import Decimal

import pytest
from hypothesis import given, settings

from skinspire.reconciliation.engine import Category, Kind, MatchingRules, exact, reconcile
from skinspire.reconciliation.tests.labelled import AS_OF, labelled_data
from skinspire.reconciliation.tests.rows import DAY, gateway_row, system_row
from skinspire.reconciliation.tests.test_engine_properties import inputs


def everything_to_the_passes(gateway_rows, system_rows, rules):
    return [], gateway_rows, system_rows


def without_bulk_step(**arguments):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(exact, "unique_id_outcomes", everything_to_the_passes)
        return reconcile(**arguments)


@settings(max_examples=300, deadline=None)
@given(drawn=inputs())
def test_generated_rows_give_the_same_result_without_the_bulk_step(drawn):
    gateway, system, _, _, chosen_rules = drawn
    arguments = {"gateway_rows": gateway, "system_rows": system, "as_of": DAY, "rules": chosen_rules}

    assert reconcile(**arguments) == without_bulk_step(**arguments)


def test_labelled_rows_give_the_same_result_without_the_bulk_step():
    data = labelled_data(payments=3000, seed=5)
    arguments = {"gateway_rows": data.gateway, "system_rows": data.system, "as_of": AS_OF}

    result = reconcile(**arguments)

    assert result == without_bulk_step(**arguments)
    assert sum(1 for outcome in result.outcomes if outcome.rule.startswith("gateway id ")) > 2000


def test_the_rows_the_bulk_step_must_leave_to_the_passes():
    """Ids the bulk step hands on: a line repeated at the gateway, an id on two rows of ours,
    the same id on a payment and a refund, no id; and a pair whose fee we cannot know."""
    gateway = [
        gateway_row("g1", gateway_id="pay_twice"),
        gateway_row("g2", gateway_id="pay_twice"),
        gateway_row("g3", gateway_id="pay_ours_twice"),
        gateway_row("g4", gateway_id="pay_kinds", kind=Kind.REFUND),
        gateway_row("g5", gateway_id="", utr="UTR5"),
        gateway_row("g6", gateway_id="pay_no_fee", fee=Decimal("9.99")),
        gateway_row("g7", gateway_id="pay_clean"),
    ]
    ours = [
        system_row("s1", gateway_id="pay_twice"),
        system_row("s2", gateway_id="pay_ours_twice"),
        system_row("s3", gateway_id="pay_ours_twice"),
        system_row("s4", gateway_id="pay_kinds"),
        system_row("s5", utr="UTR5"),
        system_row("s6", gateway_id="pay_no_fee", expected_fee=None),
        system_row("s7", gateway_id="pay_clean"),
    ]
    arguments = {"gateway_rows": gateway, "system_rows": ours, "as_of": DAY}

    outcomes, gateway_left, system_left = exact.unique_id_outcomes(gateway, ours, MatchingRules())
    result = reconcile(**arguments)

    assert [(outcome.gateway_keys, outcome.system_keys) for outcome in outcomes] == [
        (("g6",), ("s6",)),
        (("g7",), ("s7",)),
    ]
    assert sorted(row.key for row in gateway_left) == ["g1", "g2", "g3", "g4", "g5"]
    assert sorted(row.key for row in system_left) == ["s1", "s2", "s3", "s4", "s5"]
    assert result == without_bulk_step(**arguments)
    assert result.category_of() == {
        ("gateway", "g1"): Category.MATCHED,
        ("system", "s1"): Category.MATCHED,
        ("gateway", "g2"): Category.DUPLICATE,
        ("gateway", "g3"): Category.MATCHED,
        ("system", "s2"): Category.MATCHED,
        ("system", "s3"): Category.DUPLICATE,
        ("gateway", "g4"): Category.MISSING_IN_SYSTEM,
        ("system", "s4"): Category.EXPECTED,  # dated the run day: inside the settlement cycle
        ("gateway", "g5"): Category.MATCHED,
        ("system", "s5"): Category.MATCHED,
        ("gateway", "g6"): Category.MATCHED,  # the fee is not checked
        ("system", "s6"): Category.MATCHED,
        ("gateway", "g7"): Category.MATCHED,
        ("system", "s7"): Category.MATCHED,
    }
