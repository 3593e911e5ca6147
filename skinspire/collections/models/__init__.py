"""Patient collections: patients, bills, patient payments and refunds."""

from skinspire.collections.models.bills import Bill, BillCategory, BillStatus, Patient

__all__ = ["Bill", "BillCategory", "BillStatus", "Patient"]
