"""Uploaded settlement reports: both gateways' layouts, CSV and Excel, every row validated."""

import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest

from skinspire.core.errors import ApplicationError
from skinspire.reconciliation.engine import GatewayRow, Kind, RowStatus
from skinspire.reconciliation.inputs.reports import report_rows

pytestmark = pytest.mark.django_db  # a CSV report is checked by PostgreSQL first (staging.py)
ON = date(2026, 4, 11)
RAZORPAY_HEADER = (
    "entity_id,type,debit,credit,amount,currency,fee,tax,on_hold,settled,created_at,settled_at,"
    "settlement_id,settlement_utr,order_id,order_receipt,method,notes\n"
)
PAYTM_HEADER = (
    "txnId,txnType,txnDate,txnAmount,orderId,mercUnqRefVal,utr,settleAmount,payoutDate,commission,gst\n"
)


def razorpay_csv(*lines: str) -> bytes:
    return (RAZORPAY_HEADER + "".join(line + "\n" for line in lines)).encode()


PAYMENT = "pay_A,payment,0,976.40,1000.00,INR,23.60,3.60,0,1,2026-04-10 12:30:00,11/04/2026 09:30:00,setl_1,UTR77,order_A,BILL-1,upi,Bed 4"
REFUND = "rfnd_B,refund,200.00,0,-200.00,INR,0,0,0,1,1775800000,,setl_1,UTR77,order_A,RFND-1,upi,"


def test_a_razorpay_recon_csv_becomes_gateway_rows():
    rows = report_rows(
        content=razorpay_csv(PAYMENT, REFUND), file_name="recon.CSV", provider="razorpay", on=ON
    )

    assert rows == [
        GatewayRow(
            key="setl_1/pay_A",
            gateway_id="pay_A",
            utr="UTR77",
            amount=Decimal("1000.00"),
            fee=Decimal("23.60"),
            tax=Decimal("3.60"),
            status=RowStatus.SUCCESS,
            date=date(2026, 4, 10),
            kind=Kind.COLLECTION,
            reference="BILL-1",
            notes="Bed 4",
            settlement_id="setl_1",
            settled_on=date(2026, 4, 11),
        ),
        GatewayRow(
            key="setl_1/rfnd_B",
            gateway_id="rfnd_B",
            utr="UTR77",
            amount=Decimal("200.00"),
            fee=Decimal("0.00"),
            tax=Decimal("0.00"),
            status=RowStatus.SUCCESS,
            date=date(2026, 4, 10),  # Unix 1775800000 is 2026-04-10 11:16:40 IST
            kind=Kind.REFUND,
            reference="RFND-1",
            notes="",
            settlement_id="setl_1",
            settled_on=None,
        ),
    ]


def test_the_same_line_twice_gets_a_key_of_its_own():
    rows = report_rows(
        content=razorpay_csv(PAYMENT, PAYMENT), file_name="recon.csv", provider="razorpay", on=ON
    )

    assert [row.key for row in rows] == ["setl_1/pay_A", "setl_1/pay_A#2"]


def test_an_excel_report_with_its_own_headers_numbers_and_dates():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        [
            "Entity ID",
            "Type",
            "Amount",
            "Fee",
            "Tax",
            "Created At",
            "Settlement ID",
            "Settlement UTR",
            "Order Receipt",
        ]
    )
    sheet.append(
        ["pay_X", "Payment", 1500.5, 35.4, 5.4, datetime(2026, 4, 9, 23, 50), "setl_9", "UTR9", "BILL-9"]
    )
    sheet.append([None] * 9)
    buffer = io.BytesIO()
    book.save(buffer)

    (row,) = report_rows(content=buffer.getvalue(), file_name="recon.xlsx", provider="razorpay", on=ON)

    assert (row.key, row.amount, row.fee, row.tax, row.date, row.reference, row.kind) == (
        "setl_9/pay_X",
        Decimal("1500.50"),
        Decimal("35.40"),
        Decimal("5.40"),
        date(2026, 4, 9),
        "BILL-9",
        Kind.COLLECTION,
    )


def test_a_paytm_settlement_report_fee_is_commission_plus_gst():
    content = (
        PAYTM_HEADER
        + "T100,SALE,2026-04-10 10:00:00.0,1500.00,SKNBILL1,,UTRP1,1464.60,2026-04-11 10:00:00,30.00,5.40\n"
        + "T101,REFUND,2026-04-10 11:00:00.0,-200.00,SKNBILL2,,UTRP1,-200.00,2026-04-11 10:00:00,0,0\n"
    ).encode()

    sale, refund = report_rows(content=content, file_name="paytm.csv", provider="paytm", on=ON)

    assert (sale.key, sale.gateway_id, sale.amount, sale.fee, sale.tax, sale.reference, sale.kind) == (
        "UTRP1/T100",
        "T100",
        Decimal("1500.00"),
        Decimal("35.40"),
        Decimal("5.40"),
        "SKNBILL1",
        Kind.COLLECTION,
    )
    assert (refund.amount, refund.kind, refund.settlement_id, refund.settled_on) == (
        Decimal("200.00"),
        Kind.REFUND,
        "UTRP1",
        date(2026, 4, 11),
    )


def test_every_bad_row_is_reported_and_nothing_is_imported():
    bad_amount = PAYMENT.replace("1000.00", "10x0")
    sub_paise = PAYMENT.replace("23.60", "23.605")
    bad_type_and_date = PAYMENT.replace("payment", "bonus").replace("2026-04-10 12:30:00", "yesterday")
    no_id = PAYMENT.replace("pay_A", "")

    with pytest.raises(ApplicationError) as raised:
        report_rows(
            content=razorpay_csv(PAYMENT, bad_amount, sub_paise, bad_type_and_date, no_id),
            file_name="recon.csv",
            provider="razorpay",
            on=ON,
        )

    assert raised.value.message == (
        "4 rows of 'recon.csv' have errors; nothing was imported. Correct them and upload the file again."
    )
    assert raised.value.extra == {
        "rows": [
            "line 3, amount: '10x0' is not an amount in rupees with at most 2 decimal places",
            "line 4, fee: '23.605' has more than 2 decimal places; amounts are in whole paise",
            "line 5, type: 'bonus' is not a type this report has (adjustment, payment, refund, transfer)",
            "line 5, created_at: 'yesterday' is not a date (use YYYY-MM-DD HH:MM:SS or DD/MM/YYYY)",
            "line 6, entity_id: is empty",
        ],
        "error_count": 5,
    }


def test_a_report_of_the_other_gateway_is_named():
    content = (PAYTM_HEADER + "T1,SALE,2026-04-10,1.00,O1,,U1,0.98,2026-04-11,0.02,0\n").encode()

    with pytest.raises(ApplicationError) as raised:
        report_rows(content=content, file_name="paytm.csv", provider="razorpay", on=ON)

    assert raised.value.message == (
        "This file is not a Razorpay settlement recon report: columns entityid, type, amount, fee, tax, "
        "createdat, settlementid, settlementutr are missing. It looks like a Paytm settlement report: "
        "upload it for a paytm configuration."
    )


@pytest.mark.parametrize(
    ("content", "file_name", "message"),
    [
        (b"a,b\n", "report.pdf", "Upload the gateway's settlement report as a .csv or .xlsx file."),
        (
            b"not a zip",
            "report.xlsx",
            "'report.xlsx' could not be read as a .xlsx file; export it again from the gateway's dashboard.",
        ),
        (RAZORPAY_HEADER.encode(), "report.csv", "'report.csv' has no rows to reconcile."),
    ],
)
def test_files_that_cannot_be_read(content, file_name, message):
    with pytest.raises(ApplicationError) as raised:
        report_rows(content=content, file_name=file_name, provider="razorpay", on=ON)

    assert raised.value.message == message
