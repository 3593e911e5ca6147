"""New discrepancies keep every character of their keys and summary, whether their chunk is
written as ready lines or, when some text needs quoting or escaping, from the values
(services/discrepancies_copy.py on PostgreSQL; bulk_create on SQLite)."""

from datetime import date
from decimal import Decimal

import pytest

from skinspire.reconciliation.engine import Category, MatchingRules, Outcome, Pass, reconcile
from skinspire.reconciliation.models import Discrepancy, ReconciliationRun
from skinspire.reconciliation.services import discrepancies_copy
from skinspire.reconciliation.services.discrepancies import _fingerprint_among, discrepancies_sync

pytestmark = pytest.mark.django_db
DAY = date(2026, 4, 20)
PLAIN = [
    (("setl_1/pay_1",), ("collection:1",), "amount differs by 2.00"),
    ((), ("collection:2",), "not at the gateway"),
]
NEEDS_QUOTING = [
    (('pay "quoted"', "pay\\backslash"), (), 'summary with "quotes"'),
    (('a","b',), ("tab\there", "line\nbreak\r"), "summary\twith a tab"),
    (("pay_é",), ("bell\x07",), "plain summary"),
]


def _stored(configuration, keys_and_summaries) -> tuple[ReconciliationRun, dict[str, Discrepancy]]:
    run = ReconciliationRun.objects.create(
        hospital=configuration.hospital, configuration=configuration, run_date=DAY, trigger="manual"
    )
    found = {
        f"fingerprint-{number}": Outcome(
            Category.AMOUNT_MISMATCH, gateway, system, Pass.NONE, summary, Decimal("1.000"), Decimal("-2.50")
        )
        for number, (gateway, system, summary) in enumerate(keys_and_summaries)
    }
    empty = reconcile(gateway_rows=[], system_rows=[], as_of=DAY, rules=MatchingRules())
    discrepancies_sync(run=run, result=empty, found=found)
    return run, {item.fingerprint: item for item in Discrepancy.objects.filter(first_run=run)}


@pytest.mark.parametrize(
    "rows", [PLAIN, NEEDS_QUOTING, PLAIN + NEEDS_QUOTING], ids=["plain", "quoted", "mixed"]
)
def test_new_discrepancies_are_stored_as_found(configuration, rows):
    run, stored = _stored(configuration, rows)

    assert [(item.gateway_keys, item.system_keys, item.summary) for _, item in sorted(stored.items())] == [
        (list(gateway), list(system), summary) for gateway, system, summary in rows
    ]
    assert {
        (item.hospital_id, item.configuration_id, item.first_run_id, item.last_run_id, item.run_date)
        for item in stored.values()
    } == {(configuration.hospital_id, configuration.pk, run.pk, run.pk, DAY)}
    assert {
        (
            item.category,
            item.amount_difference,
            item.status,
            item.resolution,
            item.resolved_by_id,
            item.resolved_at,
        )
        for item in stored.values()
    } == {("amount_mismatch", Decimal("-2.50"), "open", "", None, None)}


def test_a_chunk_is_written_as_ready_lines_only_when_no_text_needs_quoting(configuration):
    run = ReconciliationRun(hospital_id=1, configuration_id=2, run_date=DAY, pk=3)
    outcome = Outcome(
        Category.DUPLICATE, ("k1", "k2"), (), Pass.NONE, "rule", Decimal("1.000"), Decimal("0.00")
    )
    written: list[str] = []

    discrepancies_copy._write(written.append, run, [("f1", outcome)], ("open", ""))
    discrepancies_copy._write(written.append, run, [("f2", outcome._replace(rule='say "hi"'))], ("open", ""))

    assert written == [
        '1\t2\tf1\tduplicate\t2026-04-20\t3\t3\t"[""k1"",""k2""]"\t[]\trule\t0.00\topen\t\n',
        '1\t2\tf2\tduplicate\t2026-04-20\t3\t3\t"[""k1"", ""k2""]"\t[]\t"say ""hi"""\t0.00\topen\t\n',
    ]


@pytest.mark.parametrize(
    "others", [["0a1b", "ffee"], ["not,hex", "ffee"], []], ids=["hex", "with-a-comma", "none"]
)
def test_a_runs_fingerprints_find_the_discrepancies_that_have_them(configuration, others):
    """One text parameter split by PostgreSQL when they are hex; an array otherwise."""
    _, stored = _stored(configuration, PLAIN + NEEDS_QUOTING[:1])
    Discrepancy.objects.filter(fingerprint="fingerprint-2").update(fingerprint="not,hex")
    wanted = ["fingerprint-0", *others]

    found = Discrepancy.objects.filter(_fingerprint_among(wanted), configuration=configuration)

    assert sorted(item.fingerprint for item in found) == sorted(
        {"fingerprint-0", *others} & {*stored, "not,hex"}
    )
