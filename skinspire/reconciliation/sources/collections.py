"""Patient payments and refunds as the engine's SystemRows.

Only what reached the gateway: a gateway payment with the gateway's payment id (an order
abandoned before paying has none, and nothing to settle). Failed attempts are included, so
"we say failed, the gateway settled it" is found; unsettled, they are "nothing due".
A row is dated when the money moved (captured / processed), else when it was created.
"""

from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone

from skinspire.collections.models import PatientPayment, PatientRefund
from skinspire.reconciliation.engine import Kind, RowStatus, SystemRow

PAYMENT_STATUSES = {
    "captured": RowStatus.SUCCESS,
    "partially_refunded": RowStatus.SUCCESS,
    "refunded": RowStatus.SUCCESS,
    "failed": RowStatus.FAILED,
}
REFUND_STATUSES = {"processed": RowStatus.SUCCESS, "failed": RowStatus.FAILED}


def _local_date(moment: datetime) -> date:
    return moment.astimezone(timezone.get_default_timezone()).date()


def _within(moment_field: str, start: date, end: date) -> Q:
    """Moved between start and end (local days); not moved yet: created between them."""
    moved = {f"{moment_field}__date__range": (start, end)}
    created = {f"{moment_field}__isnull": True, "created_at__date__range": (start, end)}
    return Q(**moved) | Q(**created)


def patient_payment_rows(*, configuration, start: date, end: date) -> list[SystemRow]:
    payments = PatientPayment.objects.filter(
        _within("captured_at", start, end), configuration=configuration, category="gateway"
    ).exclude(gateway_payment_id="")
    return [
        SystemRow(
            key=f"patient_payment:{payment.pk}",
            gateway_id=payment.gateway_payment_id,
            utr="",
            amount=payment.amount,
            expected_fee=payment.fee,
            status=PAYMENT_STATUSES.get(payment.status, RowStatus.PENDING),
            date=_local_date(payment.captured_at or payment.created_at),
            kind=Kind.COLLECTION,
            reference=payment.reference,
        )
        for payment in payments.order_by("pk")
    ]


def patient_refund_rows(*, configuration, start: date, end: date) -> list[SystemRow]:
    refunds = PatientRefund.objects.filter(
        _within("processed_at", start, end), payment__configuration=configuration
    ).exclude(gateway_refund_id="")
    return [
        SystemRow(
            key=f"patient_refund:{refund.pk}",
            gateway_id=refund.gateway_refund_id,
            utr="",  # its ARN/RRN is the bank's reference to the patient, not a settlement UTR
            amount=refund.amount,
            expected_fee=None,  # neither gateway charges for a refund in its settlement (fee 0)
            status=REFUND_STATUSES.get(refund.status, RowStatus.PENDING),
            date=_local_date(refund.processed_at or refund.created_at),
            kind=Kind.REFUND,
            reference=refund.reference,
        )
        for refund in refunds.order_by("pk")
    ]
