"""Demo suppliers for `make run`, made through the services like real ones: bank and UPI
accounts (one with a change of details waiting for approval and its cooling-off period),
open invoices, and the demo hospital's approval threshold. Idempotent."""

import datetime
from decimal import Decimal

from skinspire.core.models import Hospital, User
from skinspire.payouts.models import PayoutPolicy, Supplier
from skinspire.payouts.services.accounts import supplier_account_change_details, supplier_account_create
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
