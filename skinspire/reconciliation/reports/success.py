"""Success rate by gateway and mode: of what reached the gateway since the date, how much
succeeded. Collections: gateway payments with the gateway's payment id (an order abandoned
before paying never reached it), by the gateway's method; payouts: gateway payouts sent
(submitted or later), by transfer mode. The rate is over finished ones (pending left out)."""

from datetime import date

from django.db.models import Count, Q

from skinspire.collections.models import RECEIVED_STATUSES, PatientPayment
from skinspire.payouts.models import PaymentMethod, SupplierPayment
from skinspire.reconciliation.reports.base import (
    DIRECTION_COLLECTIONS,
    DIRECTION_PAYOUTS,
    Cell,
    Report,
    gateway_label,
    method_label,
    percent,
    scoped,
)

HEADERS = ("Direction", "Gateway", "Mode", "Attempts", "Succeeded", "Failed", "Pending", "Success rate %")
PAYOUT_SENT = ("submitted", "unknown", "processing", "completed", "failed", "reversed")


def _counted(queryset, *, mode: str, succeeded: Q, failed: Q):
    return (
        queryset.exclude(configuration=None)
        .values("configuration__provider", mode)
        .annotate(
            attempts=Count("pk"), succeeded=Count("pk", filter=succeeded), failed=Count("pk", filter=failed)
        )
        .order_by("configuration__provider", mode)
    )


def success_rates(*, user, hospital, since: date) -> Report:
    collections = scoped(PatientPayment.objects.all(), user=user, hospital=hospital).filter(
        category="gateway", created_at__date__gte=since
    )
    payouts = scoped(SupplierPayment.objects.all(), user=user, hospital=hospital).filter(
        method__in=[PaymentMethod.GATEWAY_PAYOUT, PaymentMethod.PAYOUT_LINK],
        status__in=PAYOUT_SENT,
        created_at__date__gte=since,
    )
    groups = [
        (DIRECTION_COLLECTIONS, "method", _counted(collections.exclude(gateway_payment_id=""), mode="method",
                                                   succeeded=Q(status__in=RECEIVED_STATUSES), failed=Q(status="failed"))),
        (DIRECTION_PAYOUTS, "mode", _counted(payouts, mode="mode", succeeded=Q(status="completed"),
                                             failed=Q(status__in=["failed", "reversed"]))),
    ]  # fmt: skip
    rows: list[tuple[Cell, ...]] = []
    for direction, mode, counted in groups:
        for group in counted:
            finished = group["succeeded"] + group["failed"]
            gateway, method = (
                gateway_label(group["configuration__provider"]),
                method_label(direction, group[mode]),
            )
            rows.append((direction, gateway, method, group["attempts"], group["succeeded"], group["failed"],
                         group["attempts"] - finished, percent(group["succeeded"], finished)))  # fmt: skip
    return Report(
        name="success-rate",
        title="Success rate by gateway and mode",
        since=since,
        headers=HEADERS,
        rows=rows,
        percent_columns=frozenset({7}),
    )
