"""Gateway fees and GST by gateway, method and month, with the effective rate (fees including
GST over the amount). Collections: gateway payments received (the method is the gateway's
word: upi, card...); payouts: completed gateway payouts (the method is the transfer mode). The
fee is what the gateway reported on each (its webhook or status), dated when the money moved.
Not the runs' fees: a run adds up the fees on one settlement date's lines, whenever those
transactions were captured; `NOTE` says so on the page, and the last column counts the
transactions whose fee the gateway has not reported (counted as ₹0.00 in the sums): Paytm's
payments until a run takes their fee from the settlement line (services/settled_fees.py)."""

from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, DecimalField, Q, Sum, Value
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
           "Fees with GST", "Effective rate %", "Fee not reported")  # fmt: skip
NOTE = (
    "Each payment by the month it was captured and each payout by the month it completed, with the fee the "
    "gateway reported on it, whenever it settles. The runs' fees above are the fees on the gateway's lines of "
    "one settlement date, refunds and payouts included: the totals differ unless the same transactions are in "
    "both. 'Fee not reported' counts the transactions whose fee the gateway has not reported, counted as "
    "₹0.00 here: Paytm gives a payment's fee only on its settlement line, so a Paytm payment is counted there "
    "until a reconciliation run matches it with its line by Paytm's id and takes the fee from it."
)


def _grouped(queryset, *, moved_at: str, method: str):
    month = TruncMonth(moved_at, tzinfo=ZoneInfo(settings.TIME_ZONE))
    return (
        queryset.exclude(configuration=None)
        .annotate(month=month)
        .values("configuration__provider", method, "month")
        .annotate(
            count=Count("pk"),
            # Before `fee=` below: that aggregate takes the field's name for what follows.
            unreported=Count("pk", filter=Q(fee=None)),
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
                         percent(fee, amount), group["unreported"]))  # fmt: skip
    return Report(
        name="fees",
        title="Gateway fees and GST by gateway, method and month",
        since=since,
        headers=HEADERS,
        rows=rows,
        amount_columns=frozenset({5, 6, 7, 8}),
        percent_columns=frozenset({9}),
        note=NOTE,
    )
