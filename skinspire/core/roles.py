"""The four staff roles. Their groups and permissions are created by a data migration."""

ROLE_GATEWAY_ADMIN = "Gateway admin"
ROLE_PAYMENTS_STAFF = "Payments staff"
ROLE_PAYMENT_APPROVER = "Payment approver"
ROLE_ACCOUNTANT = "Accountant"

ALL_ROLES = [ROLE_GATEWAY_ADMIN, ROLE_PAYMENTS_STAFF, ROLE_PAYMENT_APPROVER, ROLE_ACCOUNTANT]

# What each role does, as the home page tells its holder.
ROLE_DESCRIPTIONS = {
    ROLE_GATEWAY_ADMIN: (
        "Configures the payment gateways of each hospital and branch: credentials (stored "
        "encrypted, never shown again), test or live mode, the default and fallback gateway; "
        "reads the gateway transaction log."
    ),
    ROLE_PAYMENTS_STAFF: (
        "Pays suppliers (UPI, IMPS, NEFT, RTGS or a payout link) and collects patient payments "
        "(orders, payment links, refunds)."
    ),
    ROLE_PAYMENT_APPROVER: "Approves supplier payments and batches before they reach the gateway.",
    ROLE_ACCOUNTANT: (
        "Reads the ledger and the gateway transaction log; runs reconciliation, resolves "
        "discrepancies and exports them to Excel."
    ),
}
SUPERUSER_DESCRIPTION = "Can do everything, in every hospital."
