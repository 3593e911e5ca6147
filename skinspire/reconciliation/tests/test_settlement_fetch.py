"""Settlement lines fetched through the adapters from the sandbox, after its settle-now."""

from decimal import Decimal

import pytest

from skinspire.reconciliation.engine import Kind, RowStatus
from skinspire.reconciliation.inputs.fetch import settlement_rows_fetch
from skinspire.reconciliation.tests import sandbox_support

pytestmark = pytest.mark.django_db


def test_razorpay_settled_payment_becomes_a_gateway_row(hospital):
    configuration = sandbox_support.razorpay_configuration(hospital)
    payment_id = sandbox_support.razorpay_pay(configuration, amount=Decimal("500.00"), receipt="BILL-2001")
    settled = sandbox_support.settle_now(configuration)

    (row,) = settlement_rows_fetch(configuration=configuration, on=sandbox_support.today())

    assert settled["settled"] == 1
    assert row.key == f"{settled['settlement']['id']}/{payment_id}"
    assert (row.gateway_id, row.kind, row.status, row.reference) == (
        payment_id,
        Kind.COLLECTION,
        RowStatus.SUCCESS,
        "BILL-2001",
    )
    assert (row.amount, row.fee, row.tax) == (Decimal("500.00"), Decimal("11.80"), Decimal("1.80"))
    assert (row.utr, row.settlement_id) == (settled["settlement"]["utr"], settled["settlement"]["id"])
    assert row.date == row.settled_on == sandbox_support.today()


def test_paytm_settled_payment_becomes_a_gateway_row(hospital):
    configuration = sandbox_support.paytm_configuration(hospital)
    txn_id = sandbox_support.paytm_pay(configuration, amount=Decimal("1500.00"), order_id="SKNBILL0042")
    settled = sandbox_support.settle_now(configuration)

    (row,) = settlement_rows_fetch(configuration=configuration, on=sandbox_support.today())

    assert settled["settled"] == 1
    assert row.key == f"{settled['utr']}/{txn_id}"
    assert (row.gateway_id, row.kind, row.reference, row.utr) == (
        txn_id,
        Kind.COLLECTION,
        "SKNBILL0042",
        settled["utr"],
    )
    assert (row.amount, row.fee, row.tax) == (Decimal("1500.00"), Decimal("35.40"), Decimal("5.40"))
    assert row.date == row.settled_on == sandbox_support.today()


def test_a_day_without_settlements_has_no_rows(hospital):
    configuration = sandbox_support.razorpay_configuration(hospital)

    assert settlement_rows_fetch(configuration=configuration, on=sandbox_support.today()) == []
