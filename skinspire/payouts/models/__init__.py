from skinspire.payouts.models.suppliers import (
    AccountApproval,
    AccountKind,
    AccountValidation,
    PayoutPolicy,
    Supplier,
    SupplierAccount,
    SupplierAccountGatewayLink,
    SupplierInvoice,
)

__all__ = [
    "AccountApproval",
    "AccountKind",
    "AccountValidation",
    "PayoutPolicy",
    "Supplier",
    "SupplierAccount",
    "SupplierAccountGatewayLink",
    "SupplierInvoice",
]
