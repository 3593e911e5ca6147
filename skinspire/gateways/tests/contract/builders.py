"""Requests the contract sends, the same for every gateway.

Values fit both gateways' rules: references of letters, digits and '-', IFSC of the
standard shape on a non-Paytm bank (Paytm Payments Bank accounts have rules of their own),
bank accounts of 14 digits. The sandboxes' magic account endings (docs/sandbox-*.md) are
the same for both: ...0000 is rejected by the bank, ...9999 is paid and then reversed.
An amount may be a float on purpose (test_contract_refusals: the interface refuses one), so
it is cast to the Decimal the request types declare.
"""

from datetime import datetime
from decimal import Decimal
from typing import cast

from skinspire.gateways.providers.interface import (
    BankAccount,
    ContactRequest,
    Customer,
    OrderRequest,
    PaymentLinkRequest,
    PayoutMode,
    PayoutRequest,
    RefundRequest,
    UpiAddress,
)

IFSC = "HDFC0000123"
ACCOUNT_PAID = "50100012345678"
ACCOUNT_REJECTED = "50100012340000"
ACCOUNT_REVERSED = "50100012349999"
VPA_PAID = "medisupply@okhdfc"
PATIENT = Customer(name="Asha Rao", email="asha@example.com", phone="9876543210", customer_id="PAT-7")


def bank(account: str = ACCOUNT_PAID) -> BankAccount:
    return BankAccount(holder_name="Medi Supply Co", ifsc=IFSC, account_number=account)


def upi(vpa: str = VPA_PAID) -> UpiAddress:
    return UpiAddress(holder_name="Medi Supply Co", vpa=vpa)


def payout(
    *,
    amount: Decimal | float = Decimal("1234.56"),
    destination: BankAccount | UpiAddress | None = None,
    mode: PayoutMode | None = None,
    reference_id: str = "CPAY-0001",
) -> PayoutRequest:
    destination = destination or bank()
    if mode is None:
        mode = PayoutMode.UPI if isinstance(destination, UpiAddress) else PayoutMode.IMPS
    return PayoutRequest(
        amount=cast(Decimal, amount),
        mode=mode,
        idempotency_key=f"idem-{reference_id}",
        reference_id=reference_id,
        destination=destination,
        beneficiary=ContactRequest(name="Medi Supply Co", reference_id="SUP-7", email="ap@medisupply.test"),
        narration="Invoice 77",
    )


def order(*, amount: Decimal | float = Decimal("1500.10"), receipt: str = "CBILL-0001") -> OrderRequest:
    return OrderRequest(amount=cast(Decimal, amount), receipt=receipt, customer=PATIENT)


def payment_link(
    *,
    amount: Decimal | float = Decimal("1500.10"),
    reference_id: str = "CLINK-0001",
    expire_by: datetime | None = None,
) -> PaymentLinkRequest:
    return PaymentLinkRequest(
        amount=cast(Decimal, amount),
        reference_id=reference_id,
        customer=PATIENT,
        description="Bill 7",
        expire_by=expire_by,
    )


def refund(
    *,
    gateway_payment_id: str,
    gateway_order_id: str,
    amount: Decimal | float | None = Decimal("500.10"),
    refund_reference: str = "CRFND-0001",
) -> RefundRequest:
    return RefundRequest(
        gateway_payment_id=gateway_payment_id,
        gateway_order_id=gateway_order_id,
        refund_reference=refund_reference,
        amount=cast(Decimal | None, amount),
    )
