"""The column-at-a-time reader of plain CSV reports gives exactly the row reader's rows, and
hands anything it cannot read to the row reader (which lists the errors)."""

from datetime import date

import pytest

from skinspire.core.errors import ApplicationError
from skinspire.reconciliation.inputs.gateway_lines import gateway_rows
from skinspire.reconciliation.inputs.reports import cells, report_parse, report_read, report_rows
from skinspire.reconciliation.inputs.reports.columns import Columns, NotPlain
from skinspire.reconciliation.inputs.reports.formats import PAYTM_SETTLEMENT, RAZORPAY_RECON
from skinspire.reconciliation.inputs.reports.plain import COLUMNS_READ, READERS, plain_report_rows

pytestmark = pytest.mark.django_db  # a CSV report is checked by PostgreSQL first (staging.py)
ON = date(2026, 4, 11)
RAZORPAY = (
    "Entity ID,type,amount,fee,tax,created_at,settled_at,settlement_id,settlement_utr,order_receipt,notes\n"
    "pay_A,payment,1000.00,23.60,3.60,2026-04-10 12:30:00,2026-04-11 09:30:00,setl_1,UTR77,BILL-1,Bed 4\n"
    "pay_A,Payment,1000.00,23.60,3.60,2026-04-10 12:30:00,,setl_1,UTR77,BILL-1,\n"
    'rfnd_B,refund,-200,0,0,2026-04-09T23:59:59,,setl_1,UTR77,RFND-1,"a, b"\n'
    "trf_C,transfer,5.5,0.00,0.00,2026-04-10,,setl_1,,,\n"
    ",,,,,,,,,,\n"
)
PAYTM = (
    "txnId,txnType,txnDate,txnAmount,orderId,mercUnqRefVal,utr,payoutDate,commission,gst\n"
    "T1,SALE,2026-04-10 10:00:00,1500.00,O1,SKNBILL1,UTRP1,2026-04-11 08:00:00,30.00,5.40\n"
    "T2,REFUND,2026-04-10 11:00:00,-200.00,O2,,UTRP1,2026-04-11 08:00:00,0.00,0.00\n"
)


def by_rows(content: str, provider: str):
    parsed = report_parse(dataset=report_read(content=content.encode(), file_name="r.csv"), provider=provider)
    assert parsed.errors == ()
    return gateway_rows(list(parsed.lines), on=ON)


@pytest.mark.parametrize(
    ("content", "report_format"), [(RAZORPAY, RAZORPAY_RECON), (PAYTM, PAYTM_SETTLEMENT)]
)
def test_a_plain_report_gives_the_row_readers_rows(content, report_format):
    fast = plain_report_rows(content=content.encode(), report_format=report_format, on=ON)

    assert fast == by_rows(content, report_format.provider)
    assert [row.key for row in fast][:2] in (["setl_1/pay_A", "setl_1/pay_A#2"], ["UTRP1/T1", "UTRP1/T2"])


def test_cells_in_other_forms_are_read_by_the_cell_rules():
    content = RAZORPAY.replace("1000.00,23.60", '"1,000.00",23.60').replace(
        "2026-04-11 09:30:00", "11/04/2026 09:30"
    )

    fast = plain_report_rows(content=content.encode(), report_format=RAZORPAY_RECON, on=ON)

    assert fast == by_rows(content, "razorpay")
    assert (fast[0].amount, fast[0].settled_on) == (
        by_rows(RAZORPAY, "razorpay")[0].amount,
        date(2026, 4, 11),
    )


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        (
            "2026-04-10 12:30:00,2026",
            "2026-02-30 12:30:00,2026",
            "line 2, created_at: '2026-02-30 12:30:00' is not a date",
        ),
        (
            "23.60,3.60,2026-04-10 12:30:00,2026",
            "23.601,3.60,2026-04-10 12:30:00,2026",
            "line 2, fee: '23.601' has more than 2 decimal places",
        ),
        ("pay_A,payment", "pay_A,bonus", "line 2, type: 'bonus' is not a type"),
        ("pay_A,payment", ",payment", "line 2, Entity ID: is empty"),
    ],
)
def test_a_bad_cell_sends_the_file_to_the_row_reader_which_lists_it(old, new, error):
    content = RAZORPAY.replace(old, new, 1).encode()

    assert plain_report_rows(content=content, report_format=RAZORPAY_RECON, on=ON) is None
    with pytest.raises(ApplicationError) as raised:
        report_rows(content=content, file_name="r.csv", provider="razorpay", on=ON)
    assert raised.value.extra["rows"][0].startswith(error)


@pytest.mark.parametrize(
    "cell",
    [
        "5.",
        ".5",
        "-0",
        "5.000",
        "-200",
        "999999999999.99",
        "1000000000000",
        "1.234",
        "",
        "1-2",
        "--5",
        "1e3",
        " 5",
    ],
)
def test_a_column_of_amounts_read_in_c_gives_the_cell_rules_amounts(cell):
    """Digits, points and minus signs are read by Decimal in C (columns._exact_amounts); the
    result, or the refusal, is the cell rules' for every such cell."""
    columns = Columns(["amount"], [["1.00"], [cell]])
    try:
        expected = [cells.unsigned_amount("1.00"), cells.unsigned_amount(cell)]
    except cells.CellError:
        with pytest.raises(NotPlain):
            columns.amounts("amount")
        return
    assert [str(amount) for amount in columns.amounts("amount")] == [str(amount) for amount in expected]


@pytest.mark.parametrize("provider", ["razorpay", "paytm"])
def test_the_columns_staging_reads_back_are_the_ones_the_reader_reads(provider):
    """staging.py reads back only COLUMNS_READ; a column missing there would read as empty."""
    asked: set[str] = set()

    class Recording(Columns):
        def text(self, name: str) -> list[str]:
            asked.add(name)
            return super().text(name)

        def amounts(self, name: str):
            asked.add(name)
            return super().amounts(name)

    READERS[provider](Recording([], []))

    assert asked == set(COLUMNS_READ[provider])
