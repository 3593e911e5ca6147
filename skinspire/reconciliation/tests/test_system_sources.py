"""The registry the payouts and collections apps plug their rows into."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured

from skinspire.reconciliation import system_sources
from skinspire.reconciliation.engine import Kind, RowStatus, SystemRow
from skinspire.reconciliation.tests.source_app.sources import trial_payment_rows


def rows_of(kind: str):
    def source(*, configuration, start, end):
        return [
            SystemRow(
                f"{kind}:1", "", "", Decimal("1.00"), None, RowStatus.SUCCESS, start, Kind.PAYOUT, str(end)
            )
        ]

    return source


@pytest.fixture
def two_sources():
    first, second = rows_of("zz-payout"), rows_of("zz-refund")
    system_sources.register_system_source("zz-refund", second)
    system_sources.register_system_source("zz-payout", first)
    yield first, second
    system_sources.unregister_system_source("zz-refund")
    system_sources.unregister_system_source("zz-payout")


def test_the_test_only_source_is_registered_by_its_app():
    assert system_sources._sources["trial"] is trial_payment_rows


@pytest.mark.django_db
def test_rows_of_every_source_for_the_window_in_kind_order(two_sources, configuration):
    rows = system_sources.system_rows_collect(
        configuration=configuration, start=date(2026, 4, 1), end=date(2026, 4, 5)
    )

    assert [(row.key, row.date, row.reference) for row in rows] == [
        ("zz-payout:1", date(2026, 4, 1), "2026-04-05"),
        ("zz-refund:1", date(2026, 4, 1), "2026-04-05"),
    ]
    assert system_sources.registered_kinds() == [
        "patient_payment",
        "patient_refund",
        "supplier_payout",
        "trial",
        "zz-payout",
        "zz-refund",
    ]


def test_registering_again_is_harmless_but_a_second_source_for_a_kind_is_refused(two_sources):
    first, _ = two_sources
    system_sources.register_system_source("zz-payout", first)

    with pytest.raises(
        ImproperlyConfigured, match="A reconciliation source for 'zz-payout' is already registered"
    ):
        system_sources.register_system_source("zz-payout", rows_of("other"))
