"""Demo patients with open bills, made through the services like the billing system's."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from skinspire.collections.models import Bill, BillCategory
from skinspire.collections.services.bills import bill_create, patient_upsert

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
