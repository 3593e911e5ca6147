"""Patient collections: patients, bills, patient payments and refunds."""

from skinspire.collections.models.bills import Bill, BillCategory, BillStatus, Patient
from skinspire.collections.models.payments import (
    RECEIVED_STATUSES,
    ManualMethod,
    PatientPayment,
    PaymentCategory,
    PaymentSource,
)

__all__ = [
    "RECEIVED_STATUSES",
    "Bill",
    "BillCategory",
    "BillStatus",
    "ManualMethod",
    "Patient",
    "PatientPayment",
    "PaymentCategory",
    "PaymentSource",
]
