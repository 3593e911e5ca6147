"""An uploaded settlement report's amounts are read by the one rule for typed amounts
(core.money), with what a gateway's download may carry besides: comma groups (1,000.00 and
the Indian 1,00,000.00) and a minus sign on a refund. Anything else Python's Decimal would
have read ("١٠٠٠", "1e3", "NaN", "+5", "1_000") is named by its line and column; commas out of
place are refused rather than dropped ("1000,00" is not ₹1,00,000)."""

from decimal import Decimal

import pytest

from skinspire.core.errors import ApplicationError
from skinspire.reconciliation.inputs.reports import report_rows
from skinspire.reconciliation.inputs.reports.columns import Columns, NotPlain
from skinspire.reconciliation.tests.test_report_files import ON, PAYMENT, razorpay_csv

pytestmark = pytest.mark.django_db  # a CSV report is checked by PostgreSQL first (staging.py)


def with_amount(amount: str) -> str:
    return PAYMENT.replace(",1000.00,", f",{amount},", 1)


@pytest.mark.parametrize(
    ("cell", "error"),
    [
        ("١٠٠٠.00", "'١٠٠٠.00' has digits other than 0-9; write the amount with the digits 0-9, like 1500.00"),
        ("१०००", "'१०००' has digits other than 0-9; write the amount with the digits 0-9, like 1500.00"),
        ("1e3", "'1e3' has an exponent; write the amount out in full with the digits 0-9, like 1500.00"),
        ("NaN", "'NaN' is not an amount; write it with the digits 0-9, like 1500.00"),
        ("+1000.00", "'+1000.00' has a plus sign; write the amount with the digits 0-9 alone, like 1500.00"),
        ("1_000.00", "'1_000.00' has a separator between its digits; write the amount with the digits 0-9 "
         "and a point alone, like 150000.00"),
        ('"1000,00"', "'1000,00' has its commas out of place; group the digits like 1,500.00 or 1,00,000.00"),
        ("1000.000", "'1000.000' has more than 2 decimal places; amounts are in whole paise"),
        ("1000000000000", "'1000000000000' is too large to be an amount; the most is 999999999999.99"),
    ],
)  # fmt: skip
def test_an_amount_no_gateway_writes_is_named_by_line_and_column(cell, error):
    with pytest.raises(ApplicationError) as refused:
        report_rows(
            content=razorpay_csv(PAYMENT, with_amount(cell)), file_name="r.csv", provider="razorpay", on=ON
        )

    assert refused.value.extra["rows"] == [f"line 3, amount: {error}"]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('"1,000.00"', "1000.00"),
        ('"1,00,000.50"', "100000.50"),
        ('"1,234,567"', "1234567.00"),
        (" 1000.5 ", "1000.50"),
    ],
)
def test_what_a_gateways_download_writes_is_taken(cell, expected):
    rows = report_rows(content=razorpay_csv(with_amount(cell)), file_name="r.csv", provider="razorpay", on=ON)

    assert [row.amount for row in rows] == [Decimal(expected)]


@pytest.mark.parametrize("cell", ["١٠٠٠", "１０００", "1000.000"])
def test_the_column_reader_takes_no_amount_the_rule_refuses(cell):
    """The fast path checks a column at once: its regular expression once read \\d, any
    script's digit, and Decimal read "1000.000" as exact."""
    with pytest.raises(NotPlain):
        Columns(["amount"], [["1.00"], [cell]]).amounts("amount")
