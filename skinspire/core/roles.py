"""The four staff roles. Their groups and permissions are created by a data migration."""

ROLE_GATEWAY_ADMIN = "Gateway admin"
ROLE_PAYMENTS_STAFF = "Payments staff"
ROLE_PAYMENT_APPROVER = "Payment approver"
ROLE_ACCOUNTANT = "Accountant"

ALL_ROLES = [ROLE_GATEWAY_ADMIN, ROLE_PAYMENTS_STAFF, ROLE_PAYMENT_APPROVER, ROLE_ACCOUNTANT]
