"""What every report is: a title, column headers and rows of plain values."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from skinspire.core.money import format_inr
from skinspire.core.tenancy import scope_queryset
from skinspire.gateways.providers.schemas import provider_choices
from skinspire.payouts.models import TransferMode

Cell = str | int | Decimal | None


@dataclass(frozen=True)
class Report:
    name: str  # its URL and file name
    title: str
    since: date
    headers: tuple[str, ...]
    rows: list[tuple[Cell, ...]]
    # Columns holding rupees or percentages, right-aligned and formatted as numbers in Excel.
    amount_columns: frozenset[int] = frozenset()
    percent_columns: frozenset[int] = frozenset()
    # What the figures cover, said on the page beside the title (the fee report's totals are
    # not the runs' fees, and an accountant must see why).
    note: str = ""

    def display_rows(self) -> list[list[tuple[str, bool]]]:
        """Each cell as (text, numeric) for the dashboard's table: rupees in Indian grouping,
        rates with a percent sign, a dash where there is nothing to show."""
        return [[self._cell(index, value) for index, value in enumerate(row)] for row in self.rows]

    def _cell(self, index: int, value: Cell) -> tuple[str, bool]:
        if value is None:
            return "—", True
        if index in self.amount_columns:
            return format_inr(value), True
        if index in self.percent_columns:
            return f"{value}%", True
        return str(value), not isinstance(value, str)


def scoped(queryset: QuerySet, *, user, hospital) -> QuerySet:
    """What the user may see, of the working scope's hospital."""
    found = scope_queryset(queryset, user)
    return found.filter(hospital=hospital) if hospital is not None else found


def percent(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01")) if whole else None


DIRECTION_COLLECTIONS = "Collections"
DIRECTION_PAYOUTS = "Payouts"


def gateway_label(provider: str) -> str:
    """ "Razorpay", not "razorpay": the reports are read by accountants and opened in Excel."""
    return dict(provider_choices()).get(provider, provider)


def method_label(direction: str, method: str) -> str:
    """A payout's transfer mode by its label ("IMPS"); a collection's method stays the gateway's
    own word (upi, card, netbanking), as the patient-payments pages show it."""
    if direction == DIRECTION_PAYOUTS and method in TransferMode.values:
        return str(TransferMode(method).label)
    return method or "—"
