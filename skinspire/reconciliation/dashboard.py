"""The accountants' dashboard: figures of the latest runs, open discrepancies, and 30 days of
match rate and fees, drawn as SVG here on the server.

Why SVG from the server and not a charting library: two small charts need no third-party
script to vendor, pin, licence and keep patched; nothing runs in the browser, so the strict
CSP (no inline script, everything from this site) has nothing to allow, and the charts show
with scripts off and print as they look.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import OuterRef, QuerySet, Subquery

from skinspire.core.money import format_inr
from skinspire.core.redaction import redact_text
from skinspire.core.tenancy import scope_queryset
from skinspire.reconciliation.models import Discrepancy, ReconciliationRun
from skinspire.reconciliation.reports import REPORTS
from skinspire.reconciliation.reports.windows import report_since

DAYS = 30
UNRATED = {"expected", "nothing_due"}  # kept out of the match rate (docs/reconciliation.md)
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 220, 64, 12, 12, 28
OPEN_SHOWN = 200


def rated_rows(run: ReconciliationRun) -> int:
    return sum(count for category, count in run.category_counts.items() if category not in UNRATED)


@dataclass(frozen=True)
class Summary:
    runs: list[ReconciliationRun]
    matched: int
    discrepancies: int
    match_rate: Decimal | None  # percent, None when nothing was rated
    fees: Decimal

    @property
    def rows(self) -> list[tuple[ReconciliationRun, Decimal | None]]:
        """Each run with its match rate in percent; None, as on the card, when it rated nothing
        (the engine stores 100% then)."""
        return [
            (run, (run.match_rate * 100).quantize(Decimal("0.01")) if rated_rows(run) else None)
            for run in self.runs
        ]


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    title: str


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]
    ticks: list[Tick]
    first_day: str
    last_day: str
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom_y: int = HEIGHT - BOTTOM
    right_x: int = WIDTH - RIGHT


def completed_runs(*, user, hospital=None) -> QuerySet[ReconciliationRun]:
    runs = scope_queryset(ReconciliationRun.objects.filter(status="completed"), user)
    return runs.filter(hospital=hospital) if hospital is not None else runs


def summary_of_latest(runs: QuerySet[ReconciliationRun]) -> Summary:
    """The latest completed run of each configuration, added up."""
    # A subquery rather than PostgreSQL's DISTINCT ON: `make run` serves this page on SQLite.
    newest_of_its_configuration = runs.filter(configuration_id=OuterRef("configuration_id")).order_by(
        "-run_date", "-pk"
    )
    latest = list(
        runs.select_related("configuration").filter(pk=Subquery(newest_of_its_configuration.values("pk")[:1]))
    )
    latest.sort(key=lambda run: (run.configuration.name, run.pk))
    matched = sum(run.matched_count for run in latest)
    rated = sum(rated_rows(run) for run in latest)
    return Summary(
        runs=latest,
        matched=matched,
        discrepancies=sum(run.discrepancy_count for run in latest),
        match_rate=(Decimal(matched) * 100 / rated).quantize(Decimal("0.01")) if rated else None,
        fees=sum((run.fees for run in latest), Decimal("0.00")),
    )


def open_discrepancies(*, user, hospital=None) -> QuerySet[Discrepancy]:
    found = scope_queryset(Discrepancy.objects.filter(status="open"), user)
    if hospital is not None:
        found = found.filter(hospital=hospital)
    return found.select_related("configuration").order_by("-run_date", "-pk")


def daily_series(runs: QuerySet[ReconciliationRun], *, today: date) -> tuple[list[date], dict, dict]:
    """Per settlement date of the last 30 days: match rate (percent, None without runs) and fees."""
    days = [today - timedelta(days=offset) for offset in range(DAYS - 1, -1, -1)]
    matched: dict[date, int] = defaultdict(int)
    rated: dict[date, int] = defaultdict(int)
    fees: dict[date, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for run in runs.filter(run_date__gte=days[0], run_date__lte=today).only(
        "run_date", "matched_count", "category_counts", "fees"
    ):
        matched[run.run_date] += run.matched_count
        rated[run.run_date] += rated_rows(run)
        fees[run.run_date] += run.fees
    rates = {
        day: (Decimal(matched[day]) * 100 / rated[day]).quantize(Decimal("0.01")) if rated[day] else None
        for day in days
    }
    return days, rates, {day: fees[day] for day in days}


def bar_chart(*, title: str, days: list[date], values: dict, top: Decimal, label) -> Chart:
    """One bar per day (none where the value is None), scaled to `top`, with four gridlines."""
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    slot = plot_width / len(days)
    top = top if top > 0 else Decimal(1)
    bars = []
    for index, day in enumerate(days):
        value = values[day]
        if value is None:
            continue
        height = float(value / top) * plot_height
        bars.append(
            Bar(
                x=round(LEFT + index * slot + slot * 0.15, 2),
                y=round(TOP + plot_height - height, 2),
                width=round(slot * 0.7, 2),
                height=round(height, 2),
                title=f"{day.isoformat()}: {label(value)}",
            )
        )
    ticks = [
        Tick(y=round(TOP + plot_height * (1 - step / 4), 2), label=label(top * step / 4)) for step in range(5)
    ]
    return Chart(
        title=title,
        bars=bars,
        ticks=ticks,
        first_day=days[0].strftime("%d %b"),
        last_day=days[-1].strftime("%d %b"),
    )


def dashboard_context(*, user, hospital, today: date) -> dict:
    runs = completed_runs(user=user, hospital=hospital)
    days, rates, fees = daily_series(runs, today=today)
    discrepancies = open_discrepancies(user=user, hospital=hospital)
    return {
        "reports": [
            produce(user=user, hospital=hospital, since=report_since(name, today=today))
            for name, produce in REPORTS.items()
        ],
        "summary": summary_of_latest(runs),
        # Summaries may quote references: account numbers and UPI ids masked, as in exports.
        "discrepancies": [(item, redact_text(item.summary)) for item in discrepancies[:OPEN_SHOWN]],
        "discrepancy_total": discrepancies.count(),
        "rate_chart": bar_chart(
            title="Match rate by settlement date, last 30 days",
            days=days,
            values=rates,
            top=Decimal(100),
            label=lambda value: f"{value:.2f}%" if isinstance(value, Decimal) else f"{value}%",
        ),
        "fee_chart": bar_chart(
            title="Gateway fees by settlement date, last 30 days",
            days=days,
            values=fees,
            top=max(fees.values(), default=Decimal(0)),
            label=lambda value: format_inr(Decimal(value).quantize(Decimal("0.01"))),
        ),
    }
