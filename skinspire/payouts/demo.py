"""Demo suppliers for `make run`, made through the services like real ones: bank and UPI
accounts (one with a change of details waiting for approval and its cooling-off period),
open invoices, and the demo hospital's approval threshold; then, once the gateways are
configured (seed_demo's second pass), one payout link issued to a supplier. Idempotent."""

import datetime
from decimal import Decimal

from skinspire.core.models import Hospital, User
from skinspire.gateways.models import Capability, GatewayConfiguration
from skinspire.payouts.models import PaymentMethod, PayoutPolicy, Supplier, TransferMode
from skinspire.payouts.services.accounts import supplier_account_change_details, supplier_account_create
from skinspire.payouts.services.allocations import AllocationRequest
from skinspire.payouts.services.approvals import supplier_payment_submit
from skinspire.payouts.services.payments import PaymentRequest, supplier_payment_create
from skinspire.payouts.services.submission import supplier_payment_dispatch
from skinspire.payouts.services.suppliers import supplier_create, supplier_invoice_create

APPROVAL_THRESHOLD = Decimal("50000.00")
# name, e-mail, GSTIN, accounts [(kind, holder, number or VPA, IFSC)], invoices [(number, amount)]
SUPPLIERS = [
    (
        "Medi Supply Co",
        "accounts@medisupply.example",
        "29ABCDE1234F1Z5",
        [
            ("bank", "Medi Supply Co", "50100012345678", "HDFC0000123"),
            ("upi", "Medi Supply Co", "medisupply@okhdfc", ""),
        ],
        [("MS-2026-101", "18500.00"), ("MS-2026-102", "42000.00")],
    ),
    (
        "Derma Labs Pvt Ltd",
        "billing@dermalabs.example",
        "",
        [("bank", "Derma Labs Pvt Ltd", "60200098761234", "ICIC0000456")],
        [("DL-7781", "275000.00"), ("DL-7782", "9600.00")],
    ),
    (
        "Sterile Linen Services",
        "ops@sterilelinen.example",
        "",
        [("upi", "Sterile Linen Services", "sterilelinen@okaxis", "")],
        [("SLS-55", "7200.00")],
    ),
]
# The change that waits for a Payment approver and its cooling-off period.
CHANGED_ACCOUNT = ("Derma Labs Pvt Ltd", "60200098765432", "ICIC0000789")
# The payout link: supplier, invoice paid in full, and its key (a second run finds it by this).
PAYOUT_LINK = ("Sterile Linen Services", "SLS-55", "demo-payout-link-1")


def seed(*, hospital: Hospital, out) -> None:
    PayoutPolicy.objects.get_or_create(hospital=hospital, defaults={"approval_threshold": APPROVAL_THRESHOLD})
    maker = User.objects.filter(username="payments", hospital=hospital).first()
    for name, email, gstin, accounts, invoices in SUPPLIERS:
        if Supplier.objects.filter(hospital=hospital, name=name).exists():
            continue
        supplier = supplier_create(hospital=hospital, name=name, email=email, gstin=gstin, actor=maker)
        for kind, holder, identifier, ifsc in accounts:
            details = {"vpa": identifier} if kind == "upi" else {"account_number": identifier, "ifsc": ifsc}
            supplier_account_create(supplier=supplier, kind=kind, holder_name=holder, actor=maker, **details)
        for number, amount in invoices:
            supplier_invoice_create(
                supplier=supplier,
                number=number,
                invoice_date=datetime.date(2026, 11, 1),
                amount=Decimal(amount),
                actor=maker,
            )
        if name == CHANGED_ACCOUNT[0] and maker is not None:
            supplier_account_change_details(
                account=supplier.accounts.get(kind="bank"),
                holder_name=name,
                account_number=CHANGED_ACCOUNT[1],
                ifsc=CHANGED_ACCOUNT[2],
                actor=maker,
            )
    out.write(
        f"Demo suppliers: {len(SUPPLIERS)} with bank/UPI accounts and open invoices; "
        f"{CHANGED_ACCOUNT[0]}'s bank account awaits approval of changed details (user 'approver').\n"
    )


def seed_with_gateways(*, hospital: Hospital, out) -> None:
    """One payout link, issued at the gateway as staff issue it (create, submit, dispatch):
    the supplier claims it on the gateway's page. Nothing where no gateway makes payout links."""
    maker = User.objects.filter(username="payments", hospital=hospital).first()
    configurations = GatewayConfiguration.objects.filter(hospital=hospital)
    # In Python: JSON containment is not a lookup SQLite (`make run`'s default) has.
    if maker is None or not any(item.has_capability(Capability.PAYOUT_LINKS) for item in configurations):
        return
    name, invoice_number, key = PAYOUT_LINK
    supplier = Supplier.objects.get(hospital=hospital, name=name)
    invoice = supplier.invoices.get(number=invoice_number)
    request = PaymentRequest(
        supplier=supplier,
        amount=invoice.amount,
        method=PaymentMethod.PAYOUT_LINK,
        mode=TransferMode.SUPPLIER_CHOICE,
        invoices=[AllocationRequest(invoice.pk, invoice.amount)],
        idempotency_key=key,
        link_expire_hours=168,
        link_send_email=True,
    )
    payment, created = supplier_payment_create(request=request, maker=maker)
    if created:
        supplier_payment_submit(payment=payment, actor=maker)
        # Sent now rather than by the task after commit: the worker is not running yet. The
        # task that commit enqueues then finds it sent and does nothing (dispatch is idempotent).
        payment = supplier_payment_dispatch(payment_id=payment.pk)
    out.write(
        f"Payout link {payment.reference} to {name} for {invoice_number}: {payment.payout_link_status} "
        f"(/workspace/payouts/{payment.pk}/)\n"
    )
