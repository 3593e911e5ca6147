"""Journal entries for supplier payments (skinspire.ledger), posted once per event.

A completed gateway payout: Dr accounts payable, Cr the gateway's clearing account for the
amount; Dr gateway fees and GST input, Cr clearing for the fee. A completed manual payment:
Dr accounts payable, Cr bank. A reversal posts the mirror of the completion entry.
post_entry is idempotent on (hospital, source, event), and these are called only when the
status move they belong to was applied, inside its transaction.
"""

from decimal import Decimal

from skinspire.ledger import chart
from skinspire.ledger.models import JournalEntry
from skinspire.ledger.services import LineSpec, post_entry, reverse_entry
from skinspire.payouts.models import PaymentMethod, SupplierPayment

COMPLETED = "payout.completed"


def completion_lines(payment: SupplierPayment) -> list[LineSpec]:
    if payment.method == PaymentMethod.MANUAL:
        return [
            LineSpec(chart.ACCOUNTS_PAYABLE, debit=payment.amount, memo=f"Paid {payment.supplier}"),
            LineSpec(
                chart.BANK, credit=payment.amount, memo=payment.manual_reference or payment.get_mode_display()
            ),
        ]
    assert payment.configuration is not None  # a gateway payment always has its configuration
    clearing = chart.clearing_account_code(payment.configuration.provider)
    lines = [
        LineSpec(chart.ACCOUNTS_PAYABLE, debit=payment.amount, memo=f"Paid {payment.supplier}"),
        LineSpec(clearing, credit=payment.amount, memo=f"Payout {payment.gateway_payout_id}"),
    ]
    fee, tax = payment.fee or Decimal("0.00"), payment.tax or Decimal("0.00")
    if fee > 0:
        if fee - tax > 0:
            lines.append(LineSpec(chart.GATEWAY_FEES, debit=fee - tax, memo="Payout fee"))
        if tax > 0:
            lines.append(LineSpec(chart.GST_INPUT, debit=tax, memo="GST on payout fee"))
        lines.append(LineSpec(clearing, credit=fee, memo="Payout fee"))
    return lines


def payment_completion_post(*, payment: SupplierPayment) -> JournalEntry:
    return post_entry(
        hospital=payment.hospital,
        source=payment,
        event=COMPLETED,
        lines=completion_lines(payment),
        memo=f"Supplier payment {payment.reference}",
    )


def payment_reversal_post(*, payment: SupplierPayment, reason: str) -> JournalEntry | None:
    entry = JournalEntry.objects.filter(
        hospital=payment.hospital,
        source_type=payment._meta.label_lower,
        source_id=str(payment.pk),
        event=COMPLETED,
    ).first()
    if entry is None:  # nothing was posted, so nothing to mirror
        return None
    return reverse_entry(entry=entry, reason=reason)
