"""Patient payments and refunds as the engine's SystemRows.

Only what reached the gateway: a gateway payment with the gateway's payment id (an order
abandoned before paying has none, and nothing to settle). Failed attempts are included, so
"we say failed, the gateway settled it" is found; unsettled, they are "nothing due".
A row is dated when the money moved (captured / processed), else when it was created.
"""

from datetime import date

from django.db.models import Q
from django.db.models.functions import Coalesce

from skinspire.collections.models import PatientPayment, PatientRefund
from skinspire.reconciliation.engine import Kind, RowStatus, SystemRow
from skinspire.reconciliation.sources import local_day

PAYMENT_STATUSES = {
    "captured": RowStatus.SUCCESS,
    "partially_refunded": RowStatus.SUCCESS,
    "refunded": RowStatus.SUCCESS,
    "failed": RowStatus.FAILED,
}
REFUND_STATUSES = {"processed": RowStatus.SUCCESS, "failed": RowStatus.FAILED}
PAYMENT_KEY_PREFIX = "patient_payment:"


def _within(moment_field: str, start: date, end: date) -> Q:
    """Moved between start and end (local days); not moved yet: created between them."""
    moved = {f"{moment_field}__date__range": (start, end)}
    created = {f"{moment_field}__isnull": True, "created_at__date__range": (start, end)}
    return Q(**moved) | Q(**created)


def patient_payment_rows(*, configuration, start: date, end: date) -> list[SystemRow]:
    payments = (
        PatientPayment.objects.filter(
            _within("captured_at", start, end), configuration=configuration, category="gateway"
        )
        .exclude(gateway_payment_id="")
        .order_by("pk")
        .annotate(day=local_day(Coalesce("captured_at", "created_at")))
        .values_list("pk", "gateway_payment_id", "amount", "fee", "status", "day", "reference")
    )
    return [
        SystemRow(
            key=f"{PAYMENT_KEY_PREFIX}{pk}",
            gateway_id=gateway_id,
            utr="",
            amount=amount,
            expected_fee=fee,
            status=PAYMENT_STATUSES.get(status, RowStatus.PENDING),
            date=day,
            kind=Kind.COLLECTION,
            reference=reference,
        )
        for pk, gateway_id, amount, fee, status, day, reference in payments
    ]


def patient_refund_rows(*, configuration, start: date, end: date) -> list[SystemRow]:
    refunds = (
        PatientRefund.objects.filter(
            _within("processed_at", start, end), payment__configuration=configuration
        )
        .exclude(gateway_refund_id="")
        .order_by("pk")
        .annotate(day=local_day(Coalesce("processed_at", "created_at")))
        .values_list("pk", "gateway_refund_id", "amount", "status", "day", "reference")
    )
    return [
        SystemRow(
            key=f"patient_refund:{pk}",
            gateway_id=gateway_id,
            utr="",  # its ARN/RRN is the bank's reference to the patient, not a settlement UTR
            amount=amount,
            expected_fee=None,  # neither gateway charges for a refund in its settlement (fee 0)
            status=REFUND_STATUSES.get(status, RowStatus.PENDING),
            date=day,
            kind=Kind.REFUND,
            reference=reference,
        )
        for pk, gateway_id, amount, status, day, reference in refunds
    ]
