from decimal import Decimal

import factory

from skinspire.collections.models import (
    Bill,
    BillCategory,
    Patient,
    PatientPayment,
    PaymentCategory,
)
from skinspire.core.tests.factories import BranchFactory
from skinspire.core.tests.money_rows import move_to


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    hospital = factory.SubFactory("skinspire.core.tests.factories.HospitalFactory")
    patient_number = factory.Sequence(lambda n: f"UHID-{n:05d}")
    name = factory.Sequence(lambda n: f"Patient {n}")
    phone = "+919876543210"
    email = factory.Sequence(lambda n: f"patient{n}@patients.example")


class BillFactory(factory.django.DjangoModelFactory):
    """A bill made directly (not through bill_create): tests of the services make their own."""

    class Meta:
        model = Bill

    branch = factory.SubFactory(BranchFactory)
    hospital = factory.LazyAttribute(lambda bill: bill.branch.hospital)
    patient = factory.LazyAttribute(lambda bill: PatientFactory(hospital=bill.hospital))
    number = factory.Sequence(lambda n: f"BILL-{n:05d}")
    category = BillCategory.CONSULTATION
    amount = Decimal("1500.00")


class PatientPaymentFactory(factory.django.DjangoModelFactory):
    """A pending gateway payment for a bill, made directly (services are what the tests test).
    Asked for another status, it is inserted pending and moved there along its table's moves,
    the only way the database takes it (collections migration 0011)."""

    class Meta:
        model = PatientPayment

    bill = factory.SubFactory(BillFactory)
    hospital = factory.LazyAttribute(lambda payment: payment.bill.hospital)
    branch = factory.LazyAttribute(lambda payment: payment.bill.branch)
    amount = Decimal("1500.00")
    category = PaymentCategory.GATEWAY
    source = "razorpay"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        status = kwargs.pop("status", None)
        payment = super()._create(model_class, *args, **kwargs)
        return move_to(payment, status) if status else payment
