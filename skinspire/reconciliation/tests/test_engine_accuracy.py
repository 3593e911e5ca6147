"""The engine against labelled data with realistic noise (issue 12: at least 99.5% of rows
put in the right category on 10,000 payments)."""

from collections import Counter

from skinspire.reconciliation.engine import Category, reconcile
from skinspire.reconciliation.tests.labelled import AS_OF, labelled_data


def test_at_least_99_5_percent_of_rows_land_in_their_labelled_category():
    data = labelled_data(payments=10_000)

    found = reconcile(gateway_rows=data.gateway, system_rows=data.system, as_of=AS_OF).category_of()

    wrong = Counter((data.labels[row], found[row]) for row in data.labels if found[row] != data.labels[row])
    accuracy = 1 - sum(wrong.values()) / len(data.labels)
    assert len(data.labels) > 19_000
    assert set(data.labels.values()) == set(Category) - {Category.NOTHING_DUE}  # every situation occurs
    assert accuracy >= 0.995, f"accuracy {accuracy:.4%}; (label, found): count {wrong.most_common(10)}"
