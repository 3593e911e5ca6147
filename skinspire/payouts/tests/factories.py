"""Payout factories. Accounts are made through the service, as in production, so they are
masked and encrypted the same way."""

import datetime
from decimal import Decimal

import factory

from skinspire.core.tests.factories import HospitalFactory
from skinspire.payouts.models import Supplier, SupplierAccount, SupplierInvoice
from skinspire.payouts.services.accounts import supplier_account_create


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier

    hospital = factory.SubFactory(HospitalFactory)
    name = factory.Sequence(lambda n: f"Medi Supply {n}")
    email = factory.Sequence(lambda n: f"accounts{n}@supplier.example")
    phone = "9876543210"


class SupplierInvoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupplierInvoice

    supplier = factory.SubFactory(SupplierFactory)
    hospital = factory.SelfAttribute("supplier.hospital")
    number = factory.Sequence(lambda n: f"INV-{n:05d}")
    invoice_date = datetime.date(2026, 11, 1)
    amount = Decimal("10000.00")


def bank_account(
    supplier, *, account_number: str = "50100012345678", holder_name: str = ""
) -> SupplierAccount:
    return supplier_account_create(
        supplier=supplier,
        kind="bank",
        holder_name=holder_name or supplier.name,
        account_number=account_number,
        ifsc="HDFC0000123",
        actor=None,
    )


def upi_account(supplier, *, vpa: str = "medisupply@okhdfc", holder_name: str = "") -> SupplierAccount:
    return supplier_account_create(
        supplier=supplier, kind="upi", holder_name=holder_name or supplier.name, vpa=vpa, actor=None
    )
