"""Settlement lines, however they came, as the engine's GatewayRows.

A line's key is `<settlement id>/<gateway id>` (`#2`, `#3`... when the gateway lists the
same line again), the same whether the line was fetched or uploaded, so a late report file
and a fetch of the same day speak of the same rows.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from skinspire.gateways.providers.interface import SettlementLine
from skinspire.reconciliation.engine import GatewayRow, Kind, RowStatus

KINDS = {
    "payment": Kind.COLLECTION,
    "refund": Kind.REFUND,
    "payout": Kind.PAYOUT,
    "reversal": Kind.PAYOUT_REVERSAL,
}


@dataclass(frozen=True)
class LineFields:
    """One settlement line as read, before it gets its key."""

    gateway_id: str
    entity_type: str
    utr: str
    amount: Decimal
    fee: Decimal
    tax: Decimal
    transacted_at: datetime | None
    settled_at: datetime | None
    reference: str
    notes: str
    settlement_id: str


def local_date(moment: datetime | None) -> date | None:
    return moment.astimezone(timezone.get_default_timezone()).date() if moment else None


def gateway_rows(lines: list[LineFields], *, on: date) -> list[GatewayRow]:
    """Rows for the engine; a line without dates is dated `on`, the settlement day asked for."""
    seen: Counter[str] = Counter()
    rows = []
    for line in lines:
        base = f"{line.settlement_id}/{line.gateway_id}"
        seen[base] += 1
        settled_on = local_date(line.settled_at)
        rows.append(
            GatewayRow(
                key=base if seen[base] == 1 else f"{base}#{seen[base]}",
                gateway_id=line.gateway_id,
                utr=line.utr,
                amount=line.amount,
                fee=line.fee,
                tax=line.tax,
                status=RowStatus.SUCCESS,  # a line in a settlement is money that moved
                date=local_date(line.transacted_at) or settled_on or on,
                kind=KINDS.get(line.entity_type, Kind.ADJUSTMENT),
                reference=line.reference,
                notes=line.notes,
                settlement_id=line.settlement_id,
                settled_on=settled_on,
            )
        )
    return rows


def fields_from_settlement_line(line: SettlementLine) -> LineFields:
    # A reversal gives the payout's fees back: a negative fee, so a run's fees are what was
    # really charged (and the reversal row of ours expects the same).
    sign = -1 if line.entity_type == "reversal" else 1
    return LineFields(
        gateway_id=line.entity_id,
        entity_type=line.entity_type,
        utr=line.settlement_utr,
        amount=line.amount,
        fee=sign * line.fee,
        tax=sign * line.tax,
        transacted_at=line.transacted_at,
        settled_at=line.settled_at,
        reference=line.reference,
        notes=line.notes,
        settlement_id=line.settlement_id,
    )
