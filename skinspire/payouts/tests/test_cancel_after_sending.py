"""A cancel asked with a copy read before the payout task sent the payment is refused: the
gateway has it, so it may still be paid. Judged on the row as it is when locked, not on the
copy the request read (a cancel landing between the task's "submitted" and the gateway's
answer used to cancel it and free its invoice share while the payout went through)."""

from decimal import Decimal

import pytest

from skinspire.core.errors import ConflictError
from skinspire.core.transitions import transition
from skinspire.payouts.models import SupplierInvoice, SupplierPayment
from skinspire.payouts.services.allocations import AllocationRequest
from skinspire.payouts.services.approvals import supplier_payment_cancel
from skinspire.payouts.services.payments import PaymentRequest, supplier_payment_create
from skinspire.payouts.tests.factories import SupplierInvoiceFactory, bank_account
from skinspire.payouts.tests.support import history

pytestmark = pytest.mark.django_db


def test_a_cancel_from_a_copy_read_before_the_payout_was_sent_is_a_409(configuration, chart, supplier, maker):
    invoice = SupplierInvoiceFactory(supplier=supplier, number="INV-1", amount=Decimal("10000.00"))
    request = PaymentRequest(
        supplier=supplier, account=bank_account(supplier), amount="3000.00", method="gateway_payout",
        mode="neft", invoices=[AllocationRequest(invoice.pk, Decimal("3000.00"))],
    )  # fmt: skip
    payment = supplier_payment_create(request=request, maker=maker)[0]
    transition(instance=payment, to="approved", reason="Below the approval threshold", actor=maker)
    read_by_the_cancel = SupplierPayment.objects.get(pk=payment.pk)  # approved
    transition(
        instance=payment, to="submitted", reason="Sending to the gateway", event_reference="task:dispatch"
    )

    with pytest.raises(ConflictError, match="cannot be cancelled: the gateway has it"):
        supplier_payment_cancel(payment=read_by_the_cancel, actor=maker, reason="Changed my mind")

    assert SupplierPayment.objects.get(pk=payment.pk).status == "submitted"
    assert SupplierInvoice.objects.get(pk=invoice.pk).amount_allocated == Decimal("3000.00")
    assert history(payment)[-1] == ("approved", "submitted", "applied")
