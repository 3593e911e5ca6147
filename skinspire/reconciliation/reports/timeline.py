"""How long the gateway took to settle: from the day a payment (or payout) moved to the
settlement date of the completed run that matched it. Each pair is counted once: a row paired
by a completed run is left out of other dates' runs, and a re-run supersedes the earlier run."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Count

from skinspire.reconciliation.engine import Kind
from skinspire.reconciliation.models import ReconciliationItem
from skinspire.reconciliation.reports.base import Cell, Report, gateway_label, scoped
from skinspire.reconciliation.services.runs import PAIRED_CATEGORIES

KINDS = {Kind.COLLECTION: "Collections", Kind.PAYOUT: "Payouts"}
BUCKETS = ("Same day", "1 day", "2 days", "3 days", "4+ days")
HEADERS = ("Direction", "Gateway", "Settled", *BUCKETS, "Average days", "Longest days")


def settlement_timeline(*, user, hospital, since: date) -> Report:
    items = scoped(ReconciliationItem.objects.all(), user=user, hospital=None).filter(
        run__status="completed",
        run__run_date__gte=since,
        side=ReconciliationItem.Side.SYSTEM,
        category__in=PAIRED_CATEGORIES,
        kind__in=list(KINDS),
    )
    if hospital is not None:
        items = items.filter(run__hospital=hospital)
    # Grouped by the two dates in SQL: a million items are a few hundred (date, date) pairs.
    days: dict[tuple[str, str], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for group in items.values(
        "kind", "run__configuration__provider", "run__run_date", "transaction_date"
    ).annotate(count=Count("pk")):
        waited = max((group["run__run_date"] - group["transaction_date"]).days, 0)
        days[(group["kind"], group["run__configuration__provider"])][waited] += group["count"]
    rows: list[tuple[Cell, ...]] = []
    for (kind, provider), counts in sorted(days.items()):
        settled = sum(counts.values())
        buckets = [counts.get(0, 0), counts.get(1, 0), counts.get(2, 0), counts.get(3, 0)]
        buckets.append(settled - sum(buckets))
        average = Decimal(sum(day * count for day, count in counts.items())) / settled
        rows.append(
            (
                KINDS[Kind(kind)],
                gateway_label(provider),
                settled,
                *buckets,
                average.quantize(Decimal("0.1")),
                max(counts),
            )
        )
    return Report(
        name="settlement-timeline",
        title="Settlement timeline: paid → settled, in days",
        since=since,
        headers=HEADERS,
        rows=rows,
    )
