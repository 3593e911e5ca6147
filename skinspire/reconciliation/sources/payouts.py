"""Supplier payouts as the engine's SystemRows, for the payouts account's statement.

Only what reached the gateway (a gateway payout id). A payout that left the balance is one
row (`payout:<id>`); one whose money came back (reversed, or failed after RazorpayX had
debited it, which its fees show: they are only charged once a payout is processing, reference
§2.6) is also a reversal row (`payout_reversal:<id>`) expecting the statement's credit. A
payout that failed before any debit is a failed row: unsettled, it is "nothing due".

A payout link's claims may make payouts that fail (the link goes back to issued and the
supplier tries again): each such attempt is kept on the payment (`failed_payout_attempts`)
and becomes the same pair, `payout_attempt:<payout id>` and its reversal, when it was debited.
"""

from datetime import date, datetime
from decimal import Decimal

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from skinspire.payouts.models import SupplierPayment
from skinspire.reconciliation.engine import Kind, RowStatus, SystemRow
from skinspire.reconciliation.sources import local_day

PENDING = {"submitted", "unknown", "processing"}
MONEY_CAME_BACK = {"reversed", "failed"}


def supplier_payout_rows(*, configuration, start: date, end: date) -> list[SystemRow]:
    payments = (
        SupplierPayment.objects.filter(configuration=configuration)
        .filter(
            Q(completed_at__date__range=(start, end))
            | Q(completed_at__isnull=True, submitted_at__date__range=(start, end))
            | Q(completed_at__isnull=True, submitted_at__isnull=True, created_at__date__range=(start, end))
            | Q(status__in=MONEY_CAME_BACK, updated_at__date__range=(start, end))
        )
        .exclude(gateway_payout_id="")
        .order_by("pk")
        # Values, not instances, and local days worked out in SQL (sources/__init__.py).
        .annotate(
            moved_on=local_day(Coalesce("completed_at", "submitted_at", "created_at")),
            updated_on=local_day("updated_at"),
        )
        .values_list(
            "pk", "gateway_payout_id", "utr", "amount", "fee", "status", "reference", "moved_on", "updated_on",
            named=True,
        )
    )  # fmt: skip
    rows: list[SystemRow] = []
    for payout in payments:
        rows.extend(_rows_of(payout))
    # An attempt's failure moved the payment, so its updated_at is no earlier than the attempt.
    with_attempts = (
        SupplierPayment.objects.filter(configuration=configuration, updated_at__date__gte=start)
        .exclude(failed_payout_attempts=[])
        .order_by("pk")
    )
    for payment in with_attempts:
        rows.extend(_attempt_rows(payment, start=start, end=end))
    return rows


def _attempt_rows(payment: SupplierPayment, *, start: date, end: date) -> list[SystemRow]:
    rows = []
    for attempt in payment.failed_payout_attempts:
        day = _local_date(datetime.fromisoformat(attempt["failed_at"]))
        if not start <= day <= end:
            continue
        fee = None if attempt["fee"] is None else Decimal(attempt["fee"])
        common = {"gateway_id": attempt["payout_id"], "utr": "", "amount": payment.amount, "date": day,
                  "reference": payment.reference}  # fmt: skip
        key = f"{payment.pk}:{attempt['payout_id']}"
        status = RowStatus.FAILED if fee is None else RowStatus.SUCCESS
        rows.append(SystemRow(key=f"payout_attempt:{key}", expected_fee=fee, status=status, kind=Kind.PAYOUT,
                              **common))  # fmt: skip
        if fee is not None:
            rows.append(SystemRow(key=f"payout_attempt_reversal:{key}", expected_fee=-fee,
                                  status=RowStatus.SUCCESS, kind=Kind.PAYOUT_REVERSAL, **common))  # fmt: skip
    return rows


def _local_date(moment: datetime) -> date:
    return moment.astimezone(timezone.get_default_timezone()).date()


def _debited(payment) -> bool:
    return payment.status not in MONEY_CAME_BACK or payment.fee is not None


def _rows_of(payment) -> list[SystemRow]:
    """`payment`: a row of supplier_payout_rows' values."""
    if payment.status in PENDING:
        status = RowStatus.PENDING
    else:
        status = RowStatus.SUCCESS if _debited(payment) else RowStatus.FAILED
    rows = [
        SystemRow(
            key=f"payout:{payment.pk}",
            gateway_id=payment.gateway_payout_id,
            utr=payment.utr,
            amount=payment.amount,
            expected_fee=payment.fee,
            status=status,
            date=payment.moved_on,
            kind=Kind.PAYOUT,
            reference=payment.reference,
        )
    ]
    if payment.status in MONEY_CAME_BACK and _debited(payment):
        rows.append(
            SystemRow(
                key=f"payout_reversal:{payment.pk}",
                gateway_id=payment.gateway_payout_id,
                utr=payment.utr,
                amount=payment.amount,
                expected_fee=None if payment.fee is None else -payment.fee,
                status=RowStatus.SUCCESS,
                date=payment.updated_on,
                kind=Kind.PAYOUT_REVERSAL,
                reference=payment.reference,
            )
        )
    return rows
