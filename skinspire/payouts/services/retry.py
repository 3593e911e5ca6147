"""Retrying a failed gateway payout: a new payment (new idempotency key, as Razorpay requires
after a failure, reference §2.4) for the same supplier, account, amount, mode and invoices,
linked to the failed one. Asking twice returns the same retry."""

from django.db import transaction

from skinspire.core.errors import ConflictError
from skinspire.core.models import User
from skinspire.payouts.models import PaymentMethod, SupplierPayment
from skinspire.payouts.services.allocations import AllocationRequest
from skinspire.payouts.services.approvals import supplier_payment_submit
from skinspire.payouts.services.payments import PaymentRequest, supplier_payment_create


def supplier_payment_retry(*, payment: SupplierPayment, actor: User) -> SupplierPayment:
    if payment.status != "failed" or payment.method != PaymentMethod.GATEWAY_PAYOUT:
        raise ConflictError(
            f"Only a failed gateway payout can be retried; this one is {payment.get_status_display().lower()}.",
            {"status": payment.status},
        )
    request = PaymentRequest(
        supplier=payment.supplier,
        account=payment.account,
        amount=payment.amount,
        method=payment.method,
        mode=payment.mode,
        branch=payment.branch,
        provider=payment.requested_provider,
        invoices=[AllocationRequest(line.invoice_id, line.amount) for line in payment.allocations.all()],
        idempotency_key=f"retry-of-{payment.pk}",
        description=payment.description,
        retry_of=payment,
    )
    with transaction.atomic():
        retry, created = supplier_payment_create(request=request, maker=actor)
        if created:
            supplier_payment_submit(payment=retry, actor=actor)
    return retry
