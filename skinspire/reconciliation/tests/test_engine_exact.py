"""The bulk step for unique gateway ids changes no result: with it turned off (every row left
to the passes) the engine gives the same outcomes, on generated rows whose ids, kinds and
amounts collide often, and on the labelled data."""

import pytest
from hypothesis import given, settings

from skinspire.reconciliation.engine import exact, reconcile
from skinspire.reconciliation.tests.labelled import AS_OF, labelled_data
from skinspire.reconciliation.tests.rows import DAY
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
