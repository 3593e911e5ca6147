"""Normalised statuses and payout modes: every provider maps its own words onto these."""

import enum


class PayoutMode(enum.StrEnum):
    UPI = "upi"
    IMPS = "imps"
    NEFT = "neft"
    RTGS = "rtgs"


class PayoutStatus(enum.StrEnum):
    PENDING = "pending"  # accepted by the gateway, waiting (approval, queued for balance)
    PROCESSING = "processing"
    PROCESSED = "processed"
    FAILED = "failed"
    REVERSED = "reversed"
    CANCELLED = "cancelled"
    REJECTED = "rejected"


class PayoutLinkStatus(enum.StrEnum):
    """https://razorpay.com/docs/x/payout-links/life-cycle/ : pending (approval workflow)
    -> issued -> processing (the recipient gave their details, the payout runs) ->
    processed; processing -> issued again when that payout fails; issued -> cancelled or
    expired; pending -> rejected."""

    PENDING = "pending"
    ISSUED = "issued"
    PROCESSING = "processing"
    PROCESSED = "processed"
    CANCELLED = "cancelled"
    REJECTED = "rejected"
    EXPIRED = "expired"


class PaymentStatus(enum.StrEnum):
    CREATED = "created"
    AUTHORIZED = "authorized"
    CAPTURED = "captured"
    FAILED = "failed"
    REFUNDED = "refunded"
    PENDING = "pending"


class OrderStatus(enum.StrEnum):
    CREATED = "created"
    ATTEMPTED = "attempted"
    PAID = "paid"
    FAILED = "failed"


class LinkStatus(enum.StrEnum):
    CREATED = "created"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class RefundStatus(enum.StrEnum):
    PENDING = "pending"
    PROCESSED = "processed"
    FAILED = "failed"
