"""The two settlement line fields reconciliation reads: when it happened, and the notes."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from skinspire.gateways.providers.paytm.settlements import settlement_line as paytm_line
from skinspire.gateways.providers.razorpay.mapping import settlement_line as razorpay_line


@pytest.mark.parametrize(
    ("notes", "text"),
    [
        ("{}", ""),
        ('{"bill": "BILL-1", "bed": 4}', "BILL-1 4"),
        ({"reason": "duplicate"}, "duplicate"),
        ("Beam me up", "Beam me up"),
        (None, ""),
    ],
)
def test_razorpay_notes_as_text_and_created_at(notes, text):
    line = razorpay_line(
        {
            "entity_id": "pay_A",
            "amount": 100,
            "fee": 2,
            "tax": 0,
            "credit": 98,
            "debit": 0,
            "created_at": 1775700000,
            "notes": notes,
        }
    )

    assert (line.notes, line.transacted_at) == (text, datetime.fromtimestamp(1775700000, tz=UTC))


def test_paytm_txn_date_and_unique_reference():
    line = paytm_line(
        {
            "txnId": "T1",
            "txnType": "SALE",
            "txnAmount": "1.00",
            "txnDate": "2026-04-10 12:30:00.0",
            "mercUnqRefVal": "LI_9",
        }
    )

    assert (line.notes, line.transacted_at) == (
        "LI_9",
        datetime(2026, 4, 10, 12, 30, tzinfo=ZoneInfo("Asia/Kolkata")),
    )
