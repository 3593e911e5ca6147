"""Allocating payments to invoices: never more than an invoice has open, under concurrency.

Every writer locks the invoices' rows (skinspire.core.locks, primary-key order) before it
reads and changes their amounts, so two payments racing for the same open amount are
decided one after the other; the CHECK constraints on SupplierInvoice are the last guard.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F

from skinspire.core import locks
from skinspire.core.errors import ApplicationError, ConflictError
from skinspire.core.money import format_inr, to_rupees
from skinspire.payouts.models import PaymentAllocation, SupplierInvoice, SupplierPayment


@dataclass(frozen=True)
class AllocationRequest:
    invoice_id: int
    amount: Decimal


def allocations_checked(
    *, requests: list[AllocationRequest], payment_amount: Decimal
) -> list[AllocationRequest]:
    """Amounts exact and positive, each invoice once, and together exactly the payment."""
    checked = [AllocationRequest(int(item.invoice_id), to_rupees(item.amount)) for item in requests]
    if any(item.amount <= 0 for item in checked):
        raise ApplicationError(
            "Each invoice's amount must be more than zero.", {"fields": {"invoices": ["amount"]}}
        )
    if len({item.invoice_id for item in checked}) != len(checked):
        raise ApplicationError("An invoice is listed twice.", {"fields": {"invoices": ["duplicate"]}})
    total = sum((item.amount for item in checked), Decimal("0.00"))
    if checked and total != payment_amount:
        raise ApplicationError(
            f"The invoices add up to {format_inr(total)} but the payment is {format_inr(payment_amount)}.",
            {"fields": {"invoices": ["total_differs"]}},
        )
    return checked


def allocations_create(
    *, payment: SupplierPayment, requests: list[AllocationRequest]
) -> list[PaymentAllocation]:
    """Reserve each invoice's share for `payment`. Call inside transaction.atomic()."""
    ids = [item.invoice_id for item in requests]
    invoices = {
        invoice.pk: invoice
        for invoice in locks.lock_rows(
            SupplierInvoice.objects.filter(
                pk__in=ids, supplier_id=payment.supplier_id, hospital_id=payment.hospital_id
            )
        )
    }
    missing = [invoice_id for invoice_id in ids if invoice_id not in invoices]
    if missing:
        raise ApplicationError(
            "These invoices are not this supplier's open invoices.",
            {"fields": {"invoices": ["unknown"]}, "ids": missing},
        )
    created = []
    for item in requests:
        invoice = invoices[item.invoice_id]
        if item.amount > invoice.amount_open:
            raise ConflictError(
                f"Invoice {invoice.number} has {format_inr(invoice.amount_open)} open; "
                f"{format_inr(item.amount)} cannot be allocated to it.",
                {"invoice_id": invoice.pk, "open": str(invoice.amount_open)},
            )
        SupplierInvoice.objects.filter(pk=invoice.pk).update(
            amount_allocated=F("amount_allocated") + item.amount
        )
        invoice.amount_allocated += item.amount
        created.append(PaymentAllocation.objects.create(payment=payment, invoice=invoice, amount=item.amount))
    return created


def allocations_release(*, payment: SupplierPayment) -> None:
    """A payment that will not pay (rejected, cancelled, failed) frees what it reserved."""
    _apply(payment, allocated=-1, paid=0)


def allocations_settle(*, payment: SupplierPayment) -> None:
    """A completed payment's reservations become paid amounts."""
    _apply(payment, allocated=0, paid=1)


def allocations_reopen(*, payment: SupplierPayment) -> None:
    """A reversed payment's invoices are open again for what it had paid."""
    _apply(payment, allocated=-1, paid=-1)


def _apply(payment: SupplierPayment, *, allocated: int, paid: int) -> None:
    lines = list(payment.allocations.all())
    invoices = {
        invoice.pk: invoice
        for invoice in locks.lock_rows(
            SupplierInvoice.objects.filter(pk__in=[line.invoice_id for line in lines])
        )
    }
    for line in lines:
        invoice = invoices[line.invoice_id]
        invoice.amount_allocated += allocated * line.amount
        invoice.amount_paid += paid * line.amount
        invoice.status = invoice.status_for(invoice.amount_paid)
        invoice.save(update_fields=["amount_allocated", "amount_paid", "status", "updated_at"])
