"""Suppliers and their invoices."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from skinspire.core.audit import audit_entry_record
from skinspire.core.errors import ApplicationError, ConflictError
from skinspire.core.models import Hospital, User
from skinspire.core.money import to_rupees
from skinspire.payouts.models import Supplier, SupplierInvoice


def supplier_create(
    *, hospital: Hospital, name: str, email: str = "", phone: str = "", gstin: str = "", actor: User | None
) -> Supplier:
    if Supplier.objects.filter(hospital=hospital, name=name).exists():
        raise ConflictError(f"A supplier named '{name}' already exists.", {"fields": {"name": ["exists"]}})
    with transaction.atomic():
        supplier = Supplier.objects.create(
            hospital=hospital, name=name, email=email, phone=phone, gstin=gstin
        )
        audit_entry_record(action="payouts.supplier.create", actor=actor, target=supplier, hospital=hospital)
    return supplier


def supplier_invoice_create(
    *, supplier: Supplier, number: str, invoice_date: date, amount: Decimal | str, actor: User | None
) -> SupplierInvoice:
    rupees = to_rupees(amount)
    if rupees <= 0:
        raise ApplicationError(
            "An invoice amount must be more than zero.", {"fields": {"amount": ["positive"]}}
        )
    if SupplierInvoice.objects.filter(supplier=supplier, number=number).exists():
        raise ConflictError(
            f"Invoice {number} of {supplier} is already recorded.", {"fields": {"number": ["exists"]}}
        )
    with transaction.atomic():
        invoice = SupplierInvoice.objects.create(
            hospital_id=supplier.hospital_id,
            supplier=supplier,
            number=number,
            invoice_date=invoice_date,
            amount=rupees,
        )
        audit_entry_record(
            action="payouts.invoice.create",
            actor=actor,
            target=invoice,
            hospital=supplier.hospital,
            changes={"amount": {"from": None, "to": str(rupees)}},
        )
    return invoice
