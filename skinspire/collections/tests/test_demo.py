"""seed_demo adds patients with bills and a few counter payments, once."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from skinspire.collections.models import Bill, Patient, PatientPayment, PatientRefund
from skinspire.ledger.models import JournalEntry

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_patients_with_open_bills_and_is_idempotent():
    first, second = io.StringIO(), io.StringIO()
    call_command("seed_demo", stdout=first)
    call_command("seed_demo", stdout=second)

    assert first.getvalue() == second.getvalue()
    assert "Patients with open bills: Asha Rao, Vikram Iyer, Meera Nair" in first.getvalue()
    assert Patient.objects.count() == 3
    assert sorted(Bill.objects.values_list("number", "status", "amount_paid")) == [
        ("ADV-2026-0001", "partly_paid", Decimal("5000.00")),
        ("IPD-2026-0001", "unpaid", Decimal("0.00")),
        ("OPD-2026-0001", "paid", Decimal("800.00")),
        ("PHR-2026-0001", "unpaid", Decimal("0.00")),  # its cheque was refunded
        ("PKG-2026-0001", "unpaid", Decimal("0.00")),
    ]
    assert set(Bill.objects.values_list("branch__code", flat=True)) == {"main", "city"}


def test_seed_demo_takes_counter_payments_through_the_services_once():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=io.StringIO())

    payments = PatientPayment.objects.order_by("bill__number")
    assert [(p.bill.number, p.method, p.amount, p.status, p.created_by.username) for p in payments] == [
        ("ADV-2026-0001", "card_swipe", Decimal("5000.00"), "captured", "payments"),
        ("OPD-2026-0001", "cash", Decimal("800.00"), "captured", "payments"),
        ("PHR-2026-0001", "cheque", Decimal("1245.50"), "refunded", "payments"),
    ]
    refund = PatientRefund.objects.get()
    assert (refund.status, refund.amount, refund.payment.bill.number) == (
        "processed",
        Decimal("1245.50"),
        "PHR-2026-0001",
    )
    assert sorted(JournalEntry.objects.values_list("event", flat=True)) == [
        "processed",
        "received",
        "received",
        "received",
    ]
    opd = payments.get(bill__number="OPD-2026-0001")
    assert f"receipt of OPD-2026-0001: /pay/receipt/{opd.reference}" in out.getvalue()
    assert (
        "Bills with counter payments: ADV-2026-0001 partly paid, OPD-2026-0001 paid, PHR-2026-0001 unpaid"
        in out.getvalue()
    )
