"""Gateway fees and GST by gateway, method and month, with the effective rate (fees including
GST over the amount). Collections: gateway payments received (the method is the gateway's
word: upi, card...); payouts: completed gateway payouts (the method is the transfer mode). The
fee is what the gateway reported on each (its webhook or status), dated when the money moved."""

from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, DecimalField, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth

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

ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=14, decimal_places=2))
HEADERS = ("Direction", "Gateway", "Method", "Month", "Transactions", "Amount", "Fees less GST", "GST",
           "Fees with GST", "Effective rate %")  # fmt: skip


def _grouped(queryset, *, moved_at: str, method: str):
    month = TruncMonth(moved_at, tzinfo=ZoneInfo(settings.TIME_ZONE))
    return (
        queryset.exclude(configuration=None)
        .annotate(month=month)
        .values("configuration__provider", method, "month")
        .annotate(
            count=Count("pk"),
            amount=Sum("amount"),
            fee=Sum(Coalesce("fee", ZERO)),
            tax=Sum(Coalesce("tax", ZERO)),
        )
        .order_by("configuration__provider", method, "month")
    )


def fee_summary(*, user, hospital, since: date) -> Report:
    collections = scoped(PatientPayment.objects.all(), user=user, hospital=hospital).filter(
        category="gateway", status__in=RECEIVED_STATUSES, captured_at__date__gte=since
    )
    payouts = scoped(SupplierPayment.objects.all(), user=user, hospital=hospital).filter(
        method__in=[PaymentMethod.GATEWAY_PAYOUT, PaymentMethod.PAYOUT_LINK],
        status="completed",
        completed_at__date__gte=since,
    )
    rows: list[tuple[Cell, ...]] = []
    for direction, groups, method in (
        (DIRECTION_COLLECTIONS, _grouped(collections, moved_at="captured_at", method="method"), "method"),
        (DIRECTION_PAYOUTS, _grouped(payouts, moved_at="completed_at", method="mode"), "mode"),
    ):
        for group in groups:
            amount, fee, tax = group["amount"], group["fee"], group["tax"]
            gateway, shown = (
                gateway_label(group["configuration__provider"]),
                method_label(direction, group[method]),
            )
            rows.append((direction, gateway, shown,
                         group["month"].strftime("%Y-%m"), group["count"], amount, fee - tax, tax, fee,
                         percent(fee, amount)))  # fmt: skip
    return Report(
        name="fees",
        title="Gateway fees and GST by gateway, method and month",
        since=since,
        headers=HEADERS,
        rows=rows,
        amount_columns=frozenset({5, 6, 7, 8}),
        percent_columns=frozenset({9}),
    )
