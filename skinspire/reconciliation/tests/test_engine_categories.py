"""Every category the engine puts a row in, one test each, with the differences it records."""

from datetime import timedelta
from decimal import Decimal

import pytest

from skinspire.reconciliation.engine import Category, Kind, MatchingRules, Pass, RowStatus, reconcile
from skinspire.reconciliation.tests.rows import DAY, gateway_row, system_row


def categories(result):
    return result.category_of()


def test_matched_when_id_amount_fee_and_status_agree():
    result = reconcile(
        gateway_rows=[gateway_row("g1")], system_rows=[system_row("s1", gateway_id="pay_g1")], as_of=DAY
    )

    (outcome,) = result.outcomes
    assert (outcome.category, outcome.amount_difference, outcome.fee_difference) == (
        Category.MATCHED,
        Decimal("0.00"),
        Decimal("0.00"),
    )


def test_amount_mismatch_records_gateway_minus_ours():
    result = reconcile(
        gateway_rows=[gateway_row("g1", amount=Decimal("999.00"))],
        system_rows=[system_row("s1", gateway_id="pay_g1")],
        as_of=DAY,
    )

    (outcome,) = result.outcomes
    assert (outcome.category, outcome.amount_difference) == (Category.AMOUNT_MISMATCH, Decimal("-1.00"))


def test_fee_mismatch_beyond_the_tolerance_only():
    gateway = [gateway_row("g1", fee=Decimal("24.00"))]
    ours = [system_row("s1", gateway_id="pay_g1", expected_fee=Decimal("23.60"))]

    strict = reconcile(gateway_rows=gateway, system_rows=ours, as_of=DAY)
    lenient = reconcile(
        gateway_rows=gateway, system_rows=ours, as_of=DAY, rules=MatchingRules(fee_tolerance=Decimal("0.40"))
    )

    assert (strict.outcomes[0].category, strict.outcomes[0].fee_difference) == (
        Category.FEE_MISMATCH,
        Decimal("0.40"),
    )
    assert lenient.outcomes[0].category == Category.MATCHED


def test_fee_is_not_checked_when_we_cannot_know_it():
    result = reconcile(
        gateway_rows=[gateway_row("g1", fee=Decimal("99.00"))],
        system_rows=[system_row("s1", gateway_id="pay_g1", expected_fee=None)],
        as_of=DAY,
    )

    assert (result.outcomes[0].category, result.outcomes[0].fee_difference) == (
        Category.MATCHED,
        Decimal("0.00"),
    )


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (RowStatus.FAILED, RowStatus.SUCCESS),
        (RowStatus.SUCCESS, RowStatus.FAILED),
        (RowStatus.PENDING, RowStatus.SUCCESS),
    ],
)
def test_status_mismatch_either_way(ours, theirs):
    result = reconcile(
        gateway_rows=[gateway_row("g1", status=theirs)],
        system_rows=[system_row("s1", gateway_id="pay_g1", status=ours)],
        as_of=DAY,
    )

    assert categories(result) == {
        ("gateway", "g1"): Category.STATUS_MISMATCH,
        ("system", "s1"): Category.STATUS_MISMATCH,
    }


def test_status_outranks_amount_and_amount_outranks_fee():
    result = reconcile(
        gateway_rows=[
            gateway_row("g1", amount=Decimal("1.00"), fee=Decimal("0.00"), status=RowStatus.FAILED),
            gateway_row("g2", amount=Decimal("1.00"), fee=Decimal("0.00")),
        ],
        system_rows=[system_row("s1", gateway_id="pay_g1"), system_row("s2", gateway_id="pay_g2")],
        as_of=DAY,
    )

    assert [outcome.category for outcome in result.outcomes] == [
        Category.STATUS_MISMATCH,
        Category.AMOUNT_MISMATCH,
    ]


def test_missing_in_system():
    result = reconcile(gateway_rows=[gateway_row("g1")], system_rows=[], as_of=DAY)

    (outcome,) = result.outcomes
    assert (outcome.category, outcome.match_pass, outcome.score, outcome.amount_difference) == (
        Category.MISSING_IN_SYSTEM,
        Pass.NONE,
        Decimal("0.000"),
        Decimal("1000.00"),
    )
    assert (
        outcome.rule
        == "no row of ours with this gateway id, UTR and amount, or a close amount within ±2 days"
    )


def test_ours_is_expected_inside_the_settlement_cycle_and_missing_after_it():
    rows = [
        system_row("young", date=DAY - timedelta(days=2)),
        system_row("old", date=DAY - timedelta(days=3)),
    ]

    result = reconcile(gateway_rows=[], system_rows=rows, as_of=DAY)

    assert categories(result) == {
        ("system", "young"): Category.EXPECTED,
        ("system", "old"): Category.MISSING_AT_GATEWAY,
    }
    rules = {outcome.system_keys[0]: outcome.rule for outcome in result.outcomes}
    assert rules == {
        "young": "not settled yet, 2 days old, settlement cycle 2 days",
        "old": "not settled 3 days later, past the 2-day settlement cycle",
    }


def test_the_settlement_cycle_is_configurable():
    rows = [system_row("s1", date=DAY - timedelta(days=3))]

    result = reconcile(
        gateway_rows=[], system_rows=rows, as_of=DAY, rules=MatchingRules(settlement_cycle_days=3)
    )

    assert categories(result) == {("system", "s1"): Category.EXPECTED}


def test_a_repeated_gateway_line_is_a_duplicate_and_the_first_still_matches():
    result = reconcile(
        gateway_rows=[gateway_row("g2", gateway_id="pay_A"), gateway_row("g1", gateway_id="pay_A")],
        system_rows=[system_row("s1", gateway_id="pay_A")],
        as_of=DAY,
    )

    assert categories(result) == {
        ("gateway", "g1"): Category.MATCHED,
        ("system", "s1"): Category.MATCHED,
        ("gateway", "g2"): Category.DUPLICATE,
    }
    duplicate = next(outcome for outcome in result.outcomes if outcome.category == Category.DUPLICATE)
    assert duplicate.rule == "same gateway id pay_A as g1"


def test_a_repeated_gateway_line_without_an_id_is_a_duplicate():
    line = {"gateway_id": "", "utr": "UTR9", "reference": "BILL-1"}

    result = reconcile(
        gateway_rows=[gateway_row("g1", **line), gateway_row("g2", **line)], system_rows=[], as_of=DAY
    )

    assert categories(result) == {
        ("gateway", "g1"): Category.MISSING_IN_SYSTEM,
        ("gateway", "g2"): Category.DUPLICATE,
    }


def test_two_rows_of_ours_with_one_gateway_id_that_do_not_add_up():
    result = reconcile(
        gateway_rows=[gateway_row("g1", gateway_id="pay_A")],
        system_rows=[system_row("s1", gateway_id="pay_A"), system_row("s2", gateway_id="pay_A")],
        as_of=DAY,
    )

    assert categories(result) == {
        ("gateway", "g1"): Category.MATCHED,
        ("system", "s1"): Category.MATCHED,
        ("system", "s2"): Category.DUPLICATE,
    }


def test_rows_of_ours_sharing_an_id_the_gateway_never_sent():
    rows = [system_row("s1", gateway_id="pay_Z"), system_row("s2", gateway_id="pay_Z")]

    result = reconcile(gateway_rows=[], system_rows=rows, as_of=DAY)

    assert categories(result) == {("system", "s1"): Category.EXPECTED, ("system", "s2"): Category.DUPLICATE}


def test_failed_on_one_side_and_absent_on_the_other_is_nothing_due():
    result = reconcile(
        gateway_rows=[gateway_row("g1", status=RowStatus.FAILED)],
        system_rows=[
            system_row("s1", gateway_id="pay_other", status=RowStatus.FAILED, date=DAY - timedelta(days=30))
        ],
        as_of=DAY,
    )

    assert categories(result) == {
        ("gateway", "g1"): Category.NOTHING_DUE,
        ("system", "s1"): Category.NOTHING_DUE,
    }


def test_counts_match_rate_and_totals():
    result = reconcile(
        gateway_rows=[
            gateway_row("g1"),
            gateway_row(
                "g2",
                gateway_id="rfnd_1",
                kind=Kind.REFUND,
                amount=Decimal("200.00"),
                fee=Decimal("0"),
                tax=Decimal("0"),
            ),
            gateway_row("g3", amount=Decimal("50.00"), fee=Decimal("1.18"), tax=Decimal("0.18")),
        ],
        system_rows=[
            system_row("s1", gateway_id="pay_g1"),
            system_row(
                "s2", gateway_id="rfnd_1", kind=Kind.REFUND, amount=Decimal("200.00"), expected_fee=None
            ),
            system_row("s3", gateway_id="pay_new"),
        ],
        as_of=DAY,
    )

    counts = result.counts()
    assert (counts[Category.MATCHED], counts[Category.MISSING_IN_SYSTEM], counts[Category.EXPECTED]) == (
        4,
        1,
        1,
    )
    assert sum(counts.values()) == 6
    assert result.match_rate() == Decimal("0.8000")
    assert (result.totals.gross, result.totals.fees, result.totals.tax, result.totals.net) == (
        Decimal("850.00"),
        Decimal("24.78"),
        Decimal("3.78"),
        Decimal("825.22"),
    )


def test_nothing_to_match_is_a_full_match_rate():
    assert reconcile(gateway_rows=[], system_rows=[], as_of=DAY).match_rate() == Decimal("1.0000")


def test_keys_must_be_unique_on_each_side():
    with pytest.raises(ValueError, match="Every gateway row needs a key of its own"):
        reconcile(gateway_rows=[gateway_row("g1"), gateway_row("g1")], system_rows=[], as_of=DAY)
