"""The ledger entries of collections (skinspire.ledger.services; accounts in ledger/chart.py).

A received payment: Dr the account the money went to (the gateway's clearing account, or
the bank for counter collections), Cr patient receivables. A processed refund mirrors it
for the refunded amount. Each is posted once per (source, event), whoever asks first.
"""

from decimal import Decimal

from skinspire.collections.models import PatientPayment, PaymentCategory
from skinspire.ledger import chart
from skinspire.ledger.models import JournalEntry
from skinspire.ledger.services import LineSpec, post_entry

EVENT_RECEIVED = "received"


def money_account_code(payment: PatientPayment) -> str:
    if payment.category == PaymentCategory.MANUAL:
        return chart.BANK
    return chart.clearing_account_code(payment.source)


def payment_received_post(*, payment: PatientPayment) -> JournalEntry:
    return post_entry(
        hospital=payment.hospital,
        source=payment,
        event=EVENT_RECEIVED,
        lines=[
            LineSpec(account_code=money_account_code(payment), debit=payment.amount),
            LineSpec(account_code=chart.PATIENT_RECEIVABLES, credit=payment.amount),
        ],
        memo=f"Bill {payment.bill.number}: {payment.reference}",
        created_by=payment.created_by,
    )


def refund_processed_post(*, refund, payment: PatientPayment, amount: Decimal) -> JournalEntry:
    """The received entry's lines reversed, for the refunded amount."""
    return post_entry(
        hospital=payment.hospital,
        source=refund,
        event="processed",
        lines=[
            LineSpec(account_code=chart.PATIENT_RECEIVABLES, debit=amount),
            LineSpec(account_code=money_account_code(payment), credit=amount),
        ],
        memo=f"Refund {refund.reference} of {payment.reference} (bill {payment.bill.number})",
    )
