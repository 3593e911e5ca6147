"""A CSV report parsed by PostgreSQL's COPY and checked a column at a time on the way back
(staging.py) gives exactly the row reader's rows, unusual cells included; a bad cell, or CSV
that PostgreSQL would read differently from Python, sends the file to Python, which lists every
error of a bad file, with nothing created. SQLite has no COPY: the path declines there."""

import pytest
from django.db import connection, transaction

from skinspire.core.errors import ApplicationError
from skinspire.reconciliation.inputs.reports import report_rows
from skinspire.reconciliation.inputs.reports.formats import PAYTM_SETTLEMENT, RAZORPAY_RECON
from skinspire.reconciliation.inputs.reports.staging import report_stage, staged_rows
from skinspire.reconciliation.models import ReconciliationItem, ReconciliationRun
from skinspire.reconciliation.tests.test_plain_reports import ON, by_rows

pytestmark = pytest.mark.django_db

RAZORPAY = (
    "Entity ID,type,amount,fee,tax,created_at,settled_at,settlement_id,settlement_utr,order_receipt,notes\r\n"
    "pay_A,payment,1000.00,23.60,3.60,2026-04-10 12:30:00,2026-04-11 09:30:00,setl_1,UTR77,BILL-1,Bed 4\r\n"
    "pay_A,Payment,1000.00,23.60,3.60,2026-04-10 12:30:00,,setl_1,UTR77,BILL-1,\r\n"
    'rfnd_B,REFUND,-200,0,0,2026-04-09 23:59:59,,setl_1,UTR77,RFND-1,"a, b"\r\n'
    "trf_C,transfer,5.5,0.00,0.00,2026-04-10,,setl_1,,,\r\n"
    ",,,,,,,,,,\r\n"
)
PAYTM = (
    "txnId,txnType,txnDate,txnAmount,orderId,mercUnqRefVal,utr,payoutDate,commission,gst,extra column\n"
    "T1,SALE,2026-04-10 10:00:00,1500.00,O1,SKNBILL1,UTRP1,2026-04-11 08:00:00,30.00,5.40,x\n"
    "T2,REFUND,2026-04-10 11:00:00,-200.00,O2,,UTRP1,2026-04-11 08:00:00,0.00,0.00,\n"
)


def staged(content: str, report_format):
    with transaction.atomic():
        stage = report_stage(content=content.encode(), report_format=report_format)
        return None if stage is None else staged_rows(stage, on=ON)


def exactly(rows) -> list[tuple[str, ...]]:
    """Every field as text: Decimal("5.5") == Decimal("5.50"), but an item shows the text."""
    return [tuple(map(str, row)) for row in rows]


@pytest.mark.parametrize(
    ("content", "report_format"),
    [
        (RAZORPAY, RAZORPAY_RECON),
        (PAYTM, PAYTM_SETTLEMENT),
        ("\ufeff" + PAYTM, PAYTM_SETTLEMENT),  # a byte-order mark, as Excel writes CSV
        (PAYTM.replace("SKNBILL1", '"two\nlines"'), PAYTM_SETTLEMENT),  # a quoted line break
    ],
)
def test_a_plain_report_is_copied_and_gives_the_row_readers_rows(content, report_format):
    rows = staged(content, report_format)

    if connection.vendor != "postgresql":
        assert rows is None
        return
    assert exactly(rows) == exactly(by_rows(content, report_format.provider))
    assert [row.key for row in rows][:2] in (["setl_1/pay_A", "setl_1/pay_A#2"], ["UTRP1/T1", "UTRP1/T2"])
    assert exactly(
        report_rows(content=content.encode(), file_name="r.csv", provider=report_format.provider, on=ON)
    ) == exactly(rows)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("1000.00,23.60", '"1,000.00",23.60'),  # a thousands separator
        ("2026-04-11 09:30:00", "11/04/2026 09:30"),  # a day-first date
        ("2026-04-10 12:30:00,2026", "2026-04-10T12:30:00,2026"),
        ("pay_A,payment", "pay_A,pAyment"),  # an unusual spelling
        ("BILL-1,Bed 4", "BILL-1, Bed 4 "),  # spaces the row reader trims
    ],
)
def test_an_unusual_but_valid_cell_is_read_on_the_way_back_by_the_cell_rules(old, new):
    content = RAZORPAY.replace(old, new, 1)

    if connection.vendor == "postgresql":
        assert exactly(staged(content, RAZORPAY_RECON)) == exactly(by_rows(content, "razorpay"))
    assert exactly(
        report_rows(content=content.encode(), file_name="r.csv", provider="razorpay", on=ON)
    ) == exactly(by_rows(content, "razorpay"))


@pytest.mark.parametrize(
    ("old", "new", "notes"),
    [
        ("Bed 4", 'Bed "4" now', 'Bed "4" now'),  # a quote inside an unquoted cell: `Bed 4 now` to COPY
        ("Bed 4", "Bed\x1e4", "Bed\x1e4"),  # the separator the columns come back with
        ("Bed 4\r\n", "Bed 4\r\n,,,,,,,,,,\r\n", "Bed 4"),  # a blank row in the middle
    ],
)
def test_what_copy_or_the_columns_would_read_otherwise_is_read_in_python(old, new, notes):
    content = RAZORPAY.replace(old, new, 1)

    assert staged(content, RAZORPAY_RECON) is None
    rows = report_rows(content=content.encode(), file_name="r.csv", provider="razorpay", on=ON)
    assert exactly(rows) == exactly(by_rows(content, "razorpay"))
    assert rows[0].notes == notes


def test_a_line_copy_would_take_for_the_end_of_the_data_is_read_in_python():
    content = RAZORPAY.replace("trf_C,", "\\.\r\ntrf_C,", 1)

    assert staged(content, RAZORPAY_RECON) is None
    with pytest.raises(ApplicationError) as raised:  # the row reader's error, not three rows
        report_rows(content=content.encode(), file_name="r.csv", provider="razorpay", on=ON)
    assert raised.value.extra["rows"][0].startswith("line 5, ")


def test_rows_of_very_different_lengths_come_back_in_file_order():
    """No line numbers are stored: the order is the table's (see staged_rows)."""
    lines = [
        f"pay_{index},payment,10.00,0.20,0.03,2026-04-10 12:30:00,,setl_1,UTR77,,{'n' * (index * 7919 % 3000)}\r\n"
        for index in range(3000)
    ]
    content = RAZORPAY.split("\r\n", 1)[0] + "\r\n" + "".join(lines)

    rows = staged(content, RAZORPAY_RECON)

    if connection.vendor != "postgresql":
        assert rows is None
        return
    assert [row.gateway_id for row in rows] == [f"pay_{index}" for index in range(3000)]
    assert [len(row.notes) for row in rows] == [index * 7919 % 3000 for index in range(3000)]


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        ("2026-04-10 12:30:00,2026", "2026-02-30 12:30:00,2026", "line 2, created_at: '2026-02-30 12:30:00'"),
        ("2026-04-10 12:30:00,2026", "2026-04-10 24:00:00,2026", "line 2, created_at: '2026-04-10 24:00:00'"),
        ("2026-04-10 12:30:00,2026", "now,2026", "line 2, created_at: 'now' is not a date"),
        (
            "23.60,3.60,2026-04-10 12:30:00,2026",
            "23.601,3.60,2026-04-10 12:30:00,2026",
            "line 2, fee: '23.601'",
        ),
        ("1000.00,23.60", "NaN,23.60", "line 2, amount: 'NaN' is not"),
        ("1000.00,23.60", ",23.60", "line 2, amount: is empty"),
        ("pay_A,payment", "pay_A,bonus", "line 2, type: 'bonus' is not a type"),
        ("pay_A,payment", ",payment", "line 2, Entity ID: is empty"),
    ],
)
def test_a_bad_cell_makes_the_per_row_report_with_nothing_created(old, new, error):
    content = RAZORPAY.replace(old, new, 1)

    assert staged(content, RAZORPAY_RECON) is None
    with pytest.raises(ApplicationError) as raised:
        report_rows(content=content.encode(), file_name="r.csv", provider="razorpay", on=ON)
    assert raised.value.extra["rows"][0].startswith(error)
    assert "nothing was imported" in raised.value.message
    assert (ReconciliationRun.objects.count(), ReconciliationItem.objects.count()) == (0, 0)
    if connection.vendor == "postgresql":  # the staging table is gone either way
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('pg_temp.reconciliation_report_stage')")
            assert cursor.fetchone() == (None,)


@pytest.mark.django_db(transaction=True)
def test_staging_needs_the_callers_transaction():
    if connection.vendor != "postgresql":
        assert report_stage(content=RAZORPAY.encode(), report_format=RAZORPAY_RECON) is None
        return
    with pytest.raises(RuntimeError):
        report_stage(content=RAZORPAY.encode(), report_format=RAZORPAY_RECON)
