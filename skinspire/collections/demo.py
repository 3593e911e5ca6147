"""Demo patients with bills, made through the services like the billing system's, and a few
payments taken at the counter through the same services as staff (so the ledger, receipts and
bill statuses are the real ones): a bill paid in cash (with its receipt), a bill partly paid
by card, and a cheque refunded in full. Online payments need the sandbox serving HTTP, so
`make run` shows those as staff make them (Pay online, payment links)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from skinspire.collections.models import Bill, BillCategory, PatientPayment
from skinspire.collections.services.bills import bill_create, patient_upsert
from skinspire.collections.services.payments import patient_payment_manual_record
from skinspire.collections.services.refunds import patient_refund_create
from skinspire.core.models import User

DEMO_PATIENTS = [
    # patient number, name, phone, e-mail
    ("UHID-1001", "Asha Rao", "+919876543210", "asha.rao@patients.example"),
    ("UHID-1002", "Vikram Iyer", "+919812345678", "vikram.iyer@patients.example"),
    ("UHID-1003", "Meera Nair", "+919900112233", "meera.nair@patients.example"),
]
DEMO_BILLS = [
    # number, patient number, branch code, category, amount, description, days until due
    (
        "OPD-2026-0001",
        "UHID-1001",
        "main",
        BillCategory.CONSULTATION,
        "800.00",
        "Dermatology consultation",
        7,
    ),
    ("PHR-2026-0001", "UHID-1001", "main", BillCategory.PHARMACY, "1245.50", "Prescription", 7),
    ("ADV-2026-0001", "UHID-1002", "city", BillCategory.TREATMENT_ADVANCE, "15000.00", "Laser advance", 3),
    ("IPD-2026-0001", "UHID-1003", "main", BillCategory.FINAL_BILL, "48250.00", "Discharge bill", 10),
    ("PKG-2026-0001", "UHID-1003", "city", BillCategory.PACKAGE, "24999.00", "Skin care package", 30),
]


DEMO_PAYMENTS = [
    # bill number, method, amount, cheque number or card slip, refund reason (refunded in full)
    ("OPD-2026-0001", "cash", "800.00", "", ""),
    ("ADV-2026-0001", "card_swipe", "5000.00", "SLIP 004471", ""),
    ("PHR-2026-0001", "cheque", "1245.50", "CHQ 000123", "Prescription cancelled; cheque amount paid back"),
]
DEMO_CASHIER = "payments"  # core.demo's payments staff


def seed(*, hospital, out) -> None:
    patients = {
        number: patient_upsert(hospital=hospital, patient_number=number, name=name, phone=phone, email=email)
        for number, name, phone, email in DEMO_PATIENTS
    }
    branches = {branch.code: branch for branch in hospital.branches.all()}
    today = timezone.localdate()
    for number, patient_number, branch_code, category, amount, description, due_in in DEMO_BILLS:
        if Bill.objects.filter(hospital=hospital, number=number).exists():
            continue
        bill_create(
            actor=None,
            branch=branches[branch_code],
            patient=patients[patient_number],
            number=number,
            category=category,
            amount=Decimal(amount),
            due_date=today + timedelta(days=due_in),
            description=description,
        )
    out.write(f"Patients with open bills: {', '.join(name for _, name, _, _ in DEMO_PATIENTS)}")
    _payments_seed(hospital=hospital, out=out)


def _payments_seed(*, hospital, out) -> None:
    cashier = User.objects.filter(username=DEMO_CASHIER, hospital=hospital).first()
    if cashier is None:
        return
    for number, method, amount, instrument, refund_reason in DEMO_PAYMENTS:
        bill = Bill.objects.get(hospital=hospital, number=number)
        if bill.payments.exists():
            continue  # seeded already (or paid by someone since): nothing is taken twice
        payment = patient_payment_manual_record(
            actor=cashier, bill=bill, amount=Decimal(amount), method=method, instrument_reference=instrument
        )
        if refund_reason:
            patient_refund_create(actor=cashier, payment=payment, reason=refund_reason)
    bills = Bill.objects.filter(hospital=hospital, number__in=[row[0] for row in DEMO_PAYMENTS]).order_by(
        "number"
    )
    out.write("Bills with counter payments: " + ", ".join(f"{bill.number} {bill.get_status_display().lower()}"
                                                            for bill in bills))  # fmt: skip
    receipts = PatientPayment.objects.filter(bill__in=bills, status="captured").order_by("bill__number")
    for payment in receipts:
        out.write(f"  receipt of {payment.bill.number}: /pay/receipt/{payment.reference}")
