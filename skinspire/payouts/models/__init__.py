from skinspire.payouts.models.batches import PayoutBatch
from skinspire.payouts.models.payments import (
    GATEWAY_MODES,
    MANUAL_MODES,
    PaymentAllocation,
    PaymentMethod,
    SupplierPayment,
    TransferMode,
)
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
    "GATEWAY_MODES",
    "MANUAL_MODES",
    "PaymentAllocation",
    "PaymentMethod",
    "PayoutBatch",
    "SupplierPayment",
    "TransferMode",
    "AccountApproval",
    "AccountKind",
    "AccountValidation",
    "PayoutPolicy",
    "Supplier",
    "SupplierAccount",
    "SupplierAccountGatewayLink",
    "SupplierInvoice",
]
