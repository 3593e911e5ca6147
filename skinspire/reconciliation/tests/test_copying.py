"""Items stored by COPY keep every character of their text, NULL stays NULL and empty stays
empty, whether a chunk is written plain or has to be quoted."""

from datetime import date
from decimal import Decimal

import pytest

from skinspire.reconciliation.engine import GatewayRow, Kind, MatchingRules, RowStatus, SystemRow, reconcile
from skinspire.reconciliation.models import Discrepancy
from skinspire.reconciliation.services import copying, results
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


def test_a_chunk_with_a_tab_quote_or_line_break_is_not_plain_and_is_quoted():
    assert copying.is_plain("a\t1.00\t\nb\t2.00\tx\n", width=3, rows=2)
    for value in ("a\tb", 'say "hi"', "one\ntwo", "one\rtwo"):
        assert not copying.is_plain(f"{value}\t1.00\t\n", width=3, rows=1)
    assert copying.quoted([("a\tb", 'say "hi"', "")]) == '"a\tb"\t"say ""hi"""\t\n'


def test_items_formatted_from_the_rows_are_the_rows_values_as_copy_writes_them(configuration):
    run = finished_run(configuration)
    day = date(2026, 4, 20)
    gateway_rows = [
        GatewayRow("setl/pay_1", "pay_1", "UTR1", Decimal("100.00"), Decimal("2.36"), Decimal("0.36"),
                   RowStatus.SUCCESS, day, Kind.COLLECTION, "", "from the notes", "setl"),
        GatewayRow("setl/pay_2", "pay_2", "", Decimal("5.50"), Decimal("0.00"), Decimal("0.00"),
                   RowStatus.SUCCESS, day, Kind.REFUND, "RFND-2", "", "setl"),
    ]  # fmt: skip
    system_rows = [
        SystemRow("collection:1", "pay_1", "", Decimal("100.00"), None, RowStatus.SUCCESS, day, Kind.COLLECTION),
        SystemRow("collection:3", "pay_3", "UTR3", Decimal("7.00"), Decimal("0.17"), RowStatus.FAILED, day,
                  Kind.COLLECTION, "BILL-3"),
    ]  # fmt: skip
    outcomes = reconcile(
        gateway_rows=gateway_rows, system_rows=system_rows, as_of=day, rules=MatchingRules()
    ).outcomes
    gateway, system = {row.key: row for row in gateway_rows}, {row.key: row for row in system_rows}

    gateway_lines, system_lines = results._lines(run, outcomes, gateway, system)

    lines = gateway_lines + system_lines
    assert sorted(lines) == sorted(
        "\t".join(map(str, values)) for values in results._items(run, outcomes, gateway, system)
    )
    assert (len(gateway_lines), len(system_lines)) == (2, 2)
    assert all(line.split("\t")[1] == "gateway" for line in gateway_lines)
    assert all(line.split("\t")[1] == "system" for line in system_lines)
    [paid] = [line for line in gateway_lines if line.startswith("setl/pay_1\t")]
    assert paid.startswith(f"setl/pay_1\tgateway\t{run.pk}\tg:setl/pay_1\t")
    assert paid.endswith("\tcollection\tsuccess\tpay_1\tUTR1\tfrom the notes\t2026-04-20\t100.00\t2.36\t0.36")
