"""Each matching pass on its own: what it pairs, with which rule and score, and what it leaves."""

from datetime import timedelta
from decimal import Decimal

from skinspire.reconciliation.engine import Category, Kind, MatchingRules, Pass, reconcile
from skinspire.reconciliation.tests.rows import DAY, gateway_row, system_row


def only_pairing(result):
    paired = [outcome for outcome in result.outcomes if outcome.gateway_keys and outcome.system_keys]
    assert len(paired) == 1
    return paired[0]


def test_gateway_id_pass_pairs_the_rows_that_carry_the_same_id():
    result = reconcile(
        gateway_rows=[gateway_row("g1", gateway_id="pay_A", utr="U1")],
        system_rows=[system_row("s1", gateway_id="pay_A", utr="OTHER", date=DAY - timedelta(days=9))],
        as_of=DAY,
    )

    outcome = only_pairing(result)
    assert (outcome.category, outcome.match_pass, outcome.score) == (
        Category.MATCHED,
        Pass.GATEWAY_ID,
        Decimal("1.000"),
    )
    assert (outcome.gateway_keys, outcome.system_keys) == (("g1",), ("s1",))
    assert outcome.rule == "gateway id pay_A on both sides"


def test_gateway_id_pass_needs_the_same_kind():
    result = reconcile(
        gateway_rows=[gateway_row("g1", gateway_id="T1", kind=Kind.REFUND, amount=Decimal("5.00"))],
        system_rows=[system_row("s1", gateway_id="T1", kind=Kind.COLLECTION)],
        as_of=DAY,
    )

    assert result.category_of() == {
        ("gateway", "g1"): Category.MISSING_IN_SYSTEM,
        ("system", "s1"): Category.EXPECTED,
    }


def test_gateway_id_on_several_rows_of_ours_that_add_up_is_one_to_many():
    result = reconcile(
        gateway_rows=[gateway_row("g1", gateway_id="pay_A", amount=Decimal("1000.00"), fee=Decimal("20.00"))],
        system_rows=[
            system_row("s1", gateway_id="pay_A", amount=Decimal("400.00"), expected_fee=Decimal("8.00")),
            system_row("s2", gateway_id="pay_A", amount=Decimal("600.00"), expected_fee=Decimal("12.00")),
        ],
        as_of=DAY,
    )

    outcome = only_pairing(result)
    assert (outcome.category, outcome.match_pass, outcome.system_keys) == (
        Category.MATCHED,
        Pass.GATEWAY_ID,
        ("s1", "s2"),
    )
    assert outcome.rule == "gateway id pay_A on 2 rows of ours adding up to 1000.00"


def test_utr_and_amount_pass_when_our_row_has_no_gateway_id():
    result = reconcile(
        gateway_rows=[gateway_row("g1", utr="UTR9", kind=Kind.PAYOUT)],
        system_rows=[system_row("s1", utr="UTR9", kind=Kind.PAYOUT, date=DAY - timedelta(days=8))],
        as_of=DAY,
    )

    outcome = only_pairing(result)
    assert (outcome.category, outcome.match_pass, outcome.score) == (
        Category.MATCHED,
        Pass.UTR_AMOUNT,
        Decimal("0.950"),
    )
    assert outcome.rule == "UTR UTR9 and amount 1000.00 on both sides"


def test_utr_pass_takes_the_closest_date_when_two_rows_could_do():
    result = reconcile(
        gateway_rows=[gateway_row("g1", utr="UTR9")],
        system_rows=[
            system_row("s1", utr="UTR9", date=DAY - timedelta(days=3)),
            system_row("s2", utr="UTR9", date=DAY - timedelta(days=1)),
        ],
        as_of=DAY + timedelta(days=1),
    )

    assert result.category_of() == {
        ("gateway", "g1"): Category.MATCHED,
        ("system", "s2"): Category.MATCHED,
        ("system", "s1"): Category.MISSING_AT_GATEWAY,
    }


def test_utr_pass_never_pairs_rows_whose_gateway_ids_differ():
    result = reconcile(
        gateway_rows=[gateway_row("g1", gateway_id="pay_A", utr="UTR9")],
        system_rows=[system_row("s1", gateway_id="pay_B", utr="UTR9", date=DAY - timedelta(days=5))],
        as_of=DAY,
    )

    assert result.category_of() == {
        ("gateway", "g1"): Category.MISSING_IN_SYSTEM,
        ("system", "s1"): Category.MISSING_AT_GATEWAY,
    }


def test_one_to_many_by_utr_when_the_amounts_add_up():
    result = reconcile(
        gateway_rows=[
            gateway_row("g1", gateway_id="", utr="UTR9", amount=Decimal("600.00"), fee=Decimal("0.00"))
        ],
        system_rows=[
            system_row(f"s{number}", utr="UTR9", amount=Decimal("200.00"), expected_fee=Decimal("0.00"))
            for number in range(3)
        ],
        as_of=DAY,
    )

    outcome = only_pairing(result)
    assert (outcome.category, outcome.match_pass, outcome.score) == (
        Category.MATCHED,
        Pass.ONE_TO_MANY,
        Decimal("0.900"),
    )
    assert outcome.system_keys == ("s0", "s1", "s2")
    assert outcome.rule == "one line for 3 rows of ours with UTR UTR9, adding up to 600.00"


def test_one_to_many_by_reference_only_within_the_date_window():
    rows = [
        system_row("s1", reference="BILL-77", amount=Decimal("300.00"), expected_fee=None),
        system_row(
            "s2",
            reference="bill-77 ",
            amount=Decimal("700.00"),
            expected_fee=None,
            date=DAY - timedelta(days=2),
        ),
        system_row(
            "s3",
            reference="BILL-77",
            amount=Decimal("50.00"),
            expected_fee=None,
            date=DAY - timedelta(days=3),
        ),
    ]

    result = reconcile(
        gateway_rows=[gateway_row("g1", gateway_id="", reference="BILL-77")], system_rows=rows, as_of=DAY
    )

    outcome = only_pairing(result)
    assert (outcome.match_pass, outcome.score, outcome.system_keys) == (
        Pass.ONE_TO_MANY,
        Decimal("0.850"),
        ("s1", "s2"),
    )
    assert result.category_of()[("system", "s3")] == Category.MISSING_AT_GATEWAY


def test_several_rows_that_do_not_add_up_are_not_grouped():
    result = reconcile(
        gateway_rows=[gateway_row("g1", gateway_id="", utr="UTR9", amount=Decimal("601.00"))],
        system_rows=[system_row(f"s{number}", utr="UTR9", amount=Decimal("200.00")) for number in range(3)],
        as_of=DAY,
    )

    assert [outcome.match_pass for outcome in result.outcomes] == [Pass.NONE] * 4


def test_fuzzy_pass_pairs_a_close_amount_within_the_window():
    result = reconcile(
        gateway_rows=[gateway_row("g1", gateway_id="", amount=Decimal("1000.00"), date=DAY)],
        system_rows=[system_row("s1", amount=Decimal("1000.00"), date=DAY - timedelta(days=1))],
        as_of=DAY,
    )

    outcome = only_pairing(result)
    # 0.300 + 0.150 x 1 (amount exact) + 0.150 x (1 - 1/3) + 0.200 x 0 (no reference)
    assert (outcome.category, outcome.match_pass, outcome.score) == (
        Category.MATCHED,
        Pass.FUZZY,
        Decimal("0.550"),
    )
    assert outcome.rule == (
        "amount 1000.00 vs 1000.00 (tolerance ±1.00), 1 day apart (window ±2), reference not given on both sides"
    )


def test_fuzzy_pass_reference_breaks_a_tie():
    result = reconcile(
        gateway_rows=[gateway_row("g1", gateway_id="", notes="BILL-2")],
        system_rows=[system_row("s1", reference="BILL-1"), system_row("s2", reference="BILL-2")],
        as_of=DAY,
    )

    outcome = only_pairing(result)
    assert (outcome.system_keys, outcome.score) == (("s2",), Decimal("0.800"))
    assert outcome.rule.endswith("reference same")
    assert result.category_of()[("system", "s1")] == Category.EXPECTED


def test_fuzzy_pass_leaves_rows_outside_the_window_or_tolerance():
    rules = MatchingRules(date_window_days=1, amount_tolerance=Decimal("0.50"), settlement_cycle_days=0)
    result = reconcile(
        gateway_rows=[
            gateway_row("g1", gateway_id=""),
            gateway_row("g2", gateway_id="", amount=Decimal("500.00")),
        ],
        system_rows=[
            system_row("s1", date=DAY - timedelta(days=2)),
            system_row("s2", amount=Decimal("500.51"), date=DAY - timedelta(days=1)),
        ],
        as_of=DAY + timedelta(days=1),
        rules=rules,
    )

    assert {outcome.category for outcome in result.outcomes} == {
        Category.MISSING_IN_SYSTEM,
        Category.MISSING_AT_GATEWAY,
    }
    assert len(result.outcomes) == 4


def test_fuzzy_pass_with_an_amount_a_rupee_off_is_an_amount_mismatch():
    result = reconcile(
        gateway_rows=[gateway_row("g1", gateway_id="", amount=Decimal("999.00"))],
        system_rows=[system_row("s1", reference="x")],
        as_of=DAY,
    )

    outcome = only_pairing(result)
    assert (outcome.category, outcome.match_pass, outcome.amount_difference) == (
        Category.AMOUNT_MISMATCH,
        Pass.FUZZY,
        Decimal("-1.00"),
    )
    # 0.300 + 0.150 x (1 - 1.00/1.01) + 0.150 + 0
    assert outcome.score == Decimal("0.451")


def test_a_stronger_pass_wins_over_a_weaker_one():
    result = reconcile(
        gateway_rows=[gateway_row("g1", gateway_id="pay_A", utr="UTR9")],
        system_rows=[system_row("s1", utr="UTR9"), system_row("s2", gateway_id="pay_A")],
        as_of=DAY,
    )

    outcome = only_pairing(result)
    assert (outcome.match_pass, outcome.system_keys) == (Pass.GATEWAY_ID, ("s2",))


def test_fuzzy_pass_prefers_the_same_reference_a_rupee_off_to_an_exact_amount_under_another():
    result = reconcile(
        gateway_rows=[
            gateway_row("g1", gateway_id="", amount=Decimal("499.00"), reference="BILL-1"),
            gateway_row(
                "g2",
                gateway_id="",
                amount=Decimal("500.00"),
                reference="BILL-2",
                date=DAY - timedelta(days=1),
            ),
        ],
        system_rows=[system_row("s1", amount=Decimal("500.00"), reference="BILL-1")],
        as_of=DAY,
    )

    outcome = only_pairing(result)
    assert (outcome.gateway_keys, outcome.category) == (("g1",), Category.AMOUNT_MISMATCH)
    assert outcome.rule.endswith("reference same")
    assert result.category_of()[("gateway", "g2")] == Category.MISSING_IN_SYSTEM


def test_fuzzy_pass_among_many_equal_amounts_finds_the_same_reference_beyond_the_nearest():
    crowd = [
        system_row(f"s{number:02d}", amount=Decimal("500.00"), reference=f"OPD-{number:02d}")
        for number in range(40)
    ]

    result = reconcile(
        gateway_rows=[
            gateway_row("g1", gateway_id="", amount=Decimal("500.00"), reference="OPD-37"),
            gateway_row("g2", gateway_id="", amount=Decimal("500.00"), date=DAY - timedelta(days=1)),
        ],
        system_rows=crowd,
        as_of=DAY,
    )

    paired = {
        outcome.gateway_keys: outcome.system_keys for outcome in result.outcomes if outcome.gateway_keys
    }
    # g1: its reference, past the 16 nearest; g2 (no reference): the first of the nearest, by key.
    assert paired == {("g1",): ("s37",), ("g2",): ("s00",)}
