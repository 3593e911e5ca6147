"""Items stored by COPY keep every character of their text, NULL stays NULL and empty stays
empty, whether a chunk is written plain or has to be quoted."""

from decimal import Decimal

import pytest

from skinspire.reconciliation.models import Discrepancy
from skinspire.reconciliation.services import copying
from skinspire.reconciliation.tests.admin_support import finished_run

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("reference", ["BILL-7", 'BILL "7"\twith a tab', "line\nbreak\r\n, and \\N", ""])
def test_text_null_and_empty_survive_the_copy(configuration, reference):
    run = finished_run(configuration, lost_reference=reference)

    lost = run.items.get(gateway_id="pay_lost")
    matched = run.items.get(side="system", gateway_id="pay_ok")
    discrepancy = Discrepancy.objects.get(system_keys=[lost.key])
    assert (lost.reference, lost.fee, lost.tax, lost.utr) == (reference, Decimal("0.00"), None, "")
    assert (matched.fee, matched.tax) == (None, None)
    assert (discrepancy.resolved_by, discrepancy.resolved_at, discrepancy.resolution) == (None, None, "")
    assert discrepancy.gateway_keys == []


def test_a_chunk_with_a_tab_or_quote_is_quoted_and_a_plain_one_is_not():
    assert copying._chunk_text([("a", "1.00", ""), ("b", "2.00", "x")], width=3) == "a\t1.00\t\nb\t2.00\tx\n"
    assert copying._chunk_text([("a\tb", 'say "hi"', "")], width=3) == '"a\tb"\t"say ""hi"""\t\n'
