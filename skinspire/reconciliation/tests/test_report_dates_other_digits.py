"""An uploaded report's dates are written with the digits 0-9. Python reads other scripts'
digits in some places and not others: "²" passes str.isdigit() and then breaks int(), and
strptime reads "٢٠٢٦" as 2026. Such a cell is named by its line and column, like any other
date that cannot be read, never an error page."""

import pytest

from skinspire.core.errors import ApplicationError
from skinspire.reconciliation.inputs.reports import report_rows
from skinspire.reconciliation.tests.test_report_files import ON, PAYMENT, razorpay_csv

pytestmark = pytest.mark.django_db  # a CSV report is checked by PostgreSQL first (staging.py)


@pytest.mark.parametrize(
    "cell",
    [
        "¹⁷⁷⁵⁸⁰⁰⁰⁰⁰",  # superscripts: isdigit() says yes, int() says no
        "١٧٧٥٨٠٠٠٠٠",  # Arabic-Indic Unix seconds
        "١٠-٠٤-٢٠٢٦ ١٢:٣٠:٠٠",  # a day-first layout, read by strptime
        "٢٠٢٦-٠٤-١٠ ١٢:٣٠:٠٠",  # ISO 8601 shape
    ],
)
def test_a_date_in_other_digits_is_named_by_line_and_column(cell):
    line = PAYMENT.replace("2026-04-10 12:30:00", cell, 1)

    with pytest.raises(ApplicationError) as refused:
        report_rows(content=razorpay_csv(PAYMENT, line), file_name="r.csv", provider="razorpay", on=ON)

    [message] = refused.value.extra["rows"]
    assert message.startswith("line 3, created_at: ")
    assert "0-9" in message
