"""A run: settlement lines fetched from the sandbox against our rows, stored with its counts."""

from datetime import timedelta
from decimal import Decimal

import pytest

from skinspire.core.models import StatusTransition
from skinspire.reconciliation.models import (
    Discrepancy,
    MatchingSettings,
    ReconciliationItem,
    ReconciliationRun,
)
from skinspire.reconciliation.services.runs import reconciliation_run_start
from skinspire.reconciliation.tests import sandbox_support

pytestmark = pytest.mark.django_db


def test_a_settled_payment_is_matched_and_an_old_unsettled_one_is_missing(
    configuration, our_payment, staff_user
):
    today = sandbox_support.today()
    payment_id = sandbox_support.razorpay_pay(configuration, amount=Decimal("500.00"), receipt="BILL-1")
    sandbox_support.settle_now(configuration)
    ours = our_payment(
        gateway_id=payment_id, amount=Decimal("500.00"), expected_fee=Decimal("11.80"), paid_on=today
    )
    lost = our_payment(gateway_id="pay_lost", amount=Decimal("80.00"), paid_on=today - timedelta(days=4))
    young = our_payment(gateway_id="pay_young", amount=Decimal("70.00"), paid_on=today - timedelta(days=1))
    our_payment(
        gateway_id="pay_ancient", amount=Decimal("60.00"), paid_on=today - timedelta(days=6)
    )  # outside

    run = reconciliation_run_start(
        configuration=configuration, run_date=today, trigger="manual", actor=staff_user
    )

    run.refresh_from_db()
    assert (run.status, run.trigger, run.started_by, run.gateway_row_count, run.system_row_count) == (
        "completed",
        "manual",
        staff_user,
        1,
        3,
    )
    assert run.category_counts == {
        "matched": 2, "amount_mismatch": 0, "fee_mismatch": 0, "status_mismatch": 0, "missing_in_system": 0,
        "missing_at_gateway": 1, "duplicate": 0, "expected": 1, "nothing_due": 0,
    }  # fmt: skip
    assert (run.matched_count, run.discrepancy_count, run.match_rate) == (2, 1, Decimal("0.6667"))
    assert (run.gross, run.fees, run.tax, run.net) == (
        Decimal("500.00"),
        Decimal("11.80"),
        Decimal("1.80"),
        Decimal("488.20"),
    )
    assert run.rules == {
        "date_window_days": 2,
        "settlement_cycle_days": 2,
        "amount_tolerance": "1.00",
        "fee_tolerance": "0.00",
    }
    items = {(item.side, item.key): (item.category, item.match_pass, item.score) for item in run.items.all()}
    settlement_key = next(key for side, key in items if side == "gateway")
    assert items == {
        ("gateway", settlement_key): ("matched", "gateway_id", Decimal("1.000")),
        ("system", f"trial:{ours.pk}"): ("matched", "gateway_id", Decimal("1.000")),
        ("system", f"trial:{lost.pk}"): ("missing_at_gateway", "none", Decimal("0.000")),
        ("system", f"trial:{young.pk}"): ("expected", "none", Decimal("0.000")),
    }
    (discrepancy,) = Discrepancy.objects.all()
    assert (
        discrepancy.category,
        discrepancy.status,
        discrepancy.system_keys,
        discrepancy.amount_difference,
    ) == (
        "missing_at_gateway",
        "open",
        [f"trial:{lost.pk}"],
        Decimal("-80.00"),
    )
    history = StatusTransition.objects.get(object_id=str(run.pk), to_state="completed")
    assert (history.actor, history.reason) == (staff_user, "2 matched, 1 discrepancy")


def test_matching_settings_of_the_configuration_are_used_and_kept_on_the_run(configuration, our_payment):
    today = sandbox_support.today()
    MatchingSettings.objects.create(configuration=configuration, settlement_cycle_days=5, date_window_days=0)
    our_payment(gateway_id="pay_late", amount=Decimal("80.00"), paid_on=today - timedelta(days=4))

    run = reconciliation_run_start(configuration=configuration, run_date=today, trigger="schedule")

    assert run.rules["settlement_cycle_days"] == 5
    assert list(run.items.values_list("category", flat=True)) == ["expected"]
    assert Discrepancy.objects.count() == 0


def test_the_gateway_refusing_ends_the_run_failed_with_its_message(hospital):
    configuration = sandbox_support.razorpay_configuration(hospital, key_secret="not_the_merchants_secret")

    run = reconciliation_run_start(
        configuration=configuration, run_date=sandbox_support.today(), trigger="schedule"
    )

    run.refresh_from_db()
    assert run.status == "failed"
    assert (
        run.error_message
        == "Razorpay rejected the API keys (HTTP 401): check the key id and key secret in admin."
    )
    assert run.finished_at is not None
    assert ReconciliationItem.objects.count() == 0
    assert Discrepancy.objects.count() == 0
    history = StatusTransition.objects.get(object_id=str(run.pk), to_state="failed")
    assert history.event_reference == f"reconciliation:run:{run.pk}"


def test_our_rows_paired_on_another_date_are_not_reconciled_again(configuration, our_payment):
    today = sandbox_support.today()
    payment_id = sandbox_support.razorpay_pay(configuration, amount=Decimal("500.00"), receipt="BILL-1")
    sandbox_support.settle_now(configuration)
    our_payment(gateway_id=payment_id, amount=Decimal("500.00"), expected_fee=Decimal("11.80"), paid_on=today)
    reconciliation_run_start(configuration=configuration, run_date=today, trigger="schedule")

    tomorrow = reconciliation_run_start(
        configuration=configuration, run_date=today + timedelta(days=1), trigger="schedule"
    )

    assert (tomorrow.status, tomorrow.system_row_count, tomorrow.gateway_row_count) == ("completed", 0, 0)
    assert ReconciliationRun.objects.filter(status="completed").count() == 2
