"""Patient collections: patients, bills, patient payments and refunds."""

from skinspire.collections.models.bills import Bill, BillCategory, BillStatus, Patient
from skinspire.collections.models.links import EXPIRY_HOURS, PaymentLink
from skinspire.collections.models.payments import (
    RECEIVED_STATUSES,
    ManualMethod,
    PatientPayment,
    PaymentCategory,
    PaymentSource,
)
from skinspire.collections.models.refunds import COMMITTED_REFUND_STATUSES, PatientRefund

__all__ = [
    "EXPIRY_HOURS",
    "PaymentLink",
    "COMMITTED_REFUND_STATUSES",
    "PatientRefund",
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
