"""The items list as a year of runs needs it (millions of items): newest run first and a column's
sort within each run, so PostgreSQL reads the newest run's rows through the unique index instead
of sorting the whole table; no whole-table total; search by whole values; and no Excel export
of more rows than can be built while the accountant waits."""

import io
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from skinspire.core.admin_lists import CappedCountPaginator
from skinspire.core.roles import ROLE_ACCOUNTANT
from skinspire.reconciliation.admin import exporting
from skinspire.reconciliation.models import ReconciliationItem, ReconciliationRun
from skinspire.reconciliation.tests.admin_support import user_with

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:reconciliation_reconciliationitem_changelist")
EXPORT = reverse("admin:reconciliation_reconciliationitem_export")
DAY = date(2026, 4, 20)


def run_with_items(configuration, day: date, *rows: tuple[str, str, str]) -> ReconciliationRun:
    """A run whose items are (key, group, amount), gateway side, with ids and UTRs of their own."""
    run = ReconciliationRun.objects.create(
        hospital=configuration.hospital, configuration=configuration, run_date=day, trigger="manual"
    )
    for key, group, amount in rows:
        ReconciliationItem.objects.create(
            run=run, side="gateway", key=key, group=group, category="matched", match_pass="gateway_id",
            rule="gateway id on both sides", score=Decimal("1.000"), kind="collection", row_status="success",
            gateway_id=f"pay_{key}", utr=f"UTR{key}", reference=f"BILL-{key}", transaction_date=day,
            amount=Decimal(amount), amount_difference=Decimal("0.00"), fee_difference=Decimal("0.00"),
        )  # fmt: skip
    return run


@pytest.fixture
def runs(configuration):
    older = run_with_items(configuration, DAY, ("a1", "g2", "10.00"), ("a2", "g1", "30.00"))
    newer = run_with_items(
        configuration, DAY + timedelta(days=1), ("b1", "g2", "20.00"), ("b2", "g1", "5.00")
    )
    return older, newer


@pytest.fixture
def accountant(client, hospital):
    client.force_login(user_with(ROLE_ACCOUNTANT, hospital))


def keys(response) -> list[str]:
    assert response.status_code == 200
    return [item.key for item in response.context["cl"].result_list]


def test_newest_run_first_its_rows_by_match_group(client, accountant, runs):
    assert keys(client.get(CHANGELIST)) == ["b2", "b1", "a2", "a1"]


def test_a_column_sort_applies_within_each_run(client, accountant, runs):
    amount = ReconciliationItem._meta.get_field("amount").name
    column = client.get(CHANGELIST).context["cl"].list_display.index(amount)

    assert keys(client.get(CHANGELIST, {"o": str(column)})) == ["b2", "b1", "a1", "a2"]
    assert keys(client.get(CHANGELIST, {"o": f"-{column}"})) == ["b1", "b2", "a2", "a1"]
    older, _ = runs
    assert keys(client.get(CHANGELIST, {"o": f"-{column}", "run__id__exact": older.pk})) == ["a2", "a1"]


def test_no_run_sort_no_total_and_a_capped_count(client, accountant, runs):
    changelist = client.get(CHANGELIST).context["cl"]

    assert "run" not in changelist.sortable_by
    assert changelist.show_full_result_count is False
    assert isinstance(changelist.paginator, CappedCountPaginator)


@pytest.mark.parametrize("term", ["pay_a1", "UTRa1", "BILL-a1", "a1", "  pay_a1 "])
def test_search_finds_a_whole_gateway_id_utr_reference_or_key(client, accountant, runs, term):
    assert keys(client.get(CHANGELIST, {"q": term})) == ["a1"]


@pytest.mark.parametrize("term", ["pay_a", "PAY_A1", "a"])
def test_search_by_a_part_or_another_case_finds_nothing(client, accountant, runs, term):
    assert keys(client.get(CHANGELIST, {"q": term})) == []


def test_an_export_past_the_limit_is_refused_with_the_way_out(client, accountant, runs, monkeypatch):
    monkeypatch.setattr(exporting, "MOST_ROWS_EXPORTED", 3)

    response = client.get(EXPORT, {"category__exact": "matched"}, follow=True)

    assert response.redirect_chain == [(f"{CHANGELIST}?category__exact=matched", 302)]
    assert [str(message) for message in response.context["messages"]] == [
        "This list has more than 3 rows, too many for one Excel file made while you wait. "
        "Filter it (one run, a category, a date) and export again."
    ]


def test_an_export_within_the_limit_is_the_filtered_rows(client, accountant, runs, monkeypatch):
    monkeypatch.setattr(exporting, "MOST_ROWS_EXPORTED", 2)
    older, _ = runs

    response = client.get(EXPORT, {"run__id__exact": older.pk})

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, *rows = sheet.iter_rows(values_only=True)
    assert sorted(row[header.index("key")] for row in rows) == ["a1", "a2"]
