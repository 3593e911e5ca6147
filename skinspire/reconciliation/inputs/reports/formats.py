"""The two report layouts: their columns and how a row becomes a settlement line.

Razorpay: the settlement recon report (the columns of `GET /v1/settlements/recon/combined`,
reference §6.2, as the dashboard's CSV/Excel download), amounts in rupees. Paytm: the
settlement report (the columns of the settlement list API's rows, reference §4.1), where
`commission` excludes GST, so fee = commission + gst as in the adapter. Headers are compared
without case, spaces or underscores ("Entity ID" = "entity_id"). Column names and units
beyond those references are UNCONFIRMED (docs/reconciliation.md).
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from skinspire.reconciliation.inputs.gateway_lines import LineFields
from skinspire.reconciliation.inputs.reports import cells

Row = dict[str, Any]


@dataclass(frozen=True)
class ReportFormat:
    name: str
    provider: str  # the gateway configuration provider this report belongs to
    required: tuple[str, ...]  # normalised header names
    read_row: Callable[["RowReader"], LineFields]


def normalised_header(header: Any) -> str:
    return "".join(character for character in cells.text(header).casefold() if character.isalnum())


def _kind(value: Any, known: dict[str, str], column: str) -> str:
    word = cells.text(value)
    entity_type = known.get(word.casefold())
    if entity_type is None:
        raise cells.CellError(f"'{word}' is not a {column} this report has ({', '.join(sorted(known))})")
    return entity_type


RAZORPAY_TYPES = {
    "payment": "payment",
    "refund": "refund",
    "transfer": "transfer",
    "adjustment": "adjustment",
}
PAYTM_TYPES = {"acquiring": "payment", "sale": "payment", "refund": "refund", "chargeback": "adjustment"}
ZERO = Decimal("0.00")


class RowReader:
    """Reads the cells of one row, keeping every bad cell's error (not only the first)."""

    def __init__(self, row: Row):
        self.row = row
        self.errors: list[tuple[str, str]] = []

    def read(self, column: str, parse: Callable[[Any], Any], default: Any = None) -> Any:
        try:
            return parse(self.row.get(column))
        except cells.CellError as error:
            self.errors.append((column, str(error)))
            return default

    def required_text(self, column: str) -> str:
        value = cells.text(self.row.get(column))
        if not value:
            self.errors.append((column, "is empty"))
        return value

    def optional_text(self, column: str) -> str:
        return cells.text(self.row.get(column))


def _razorpay_row(reader: RowReader) -> LineFields:
    return LineFields(
        gateway_id=reader.required_text("entityid"),
        entity_type=reader.read("type", lambda value: _kind(value, RAZORPAY_TYPES, "type"), ""),
        utr=reader.optional_text("settlementutr"),
        amount=reader.read("amount", cells.unsigned_amount, ZERO),
        fee=reader.read("fee", cells.unsigned_amount, ZERO),
        tax=reader.read("tax", cells.unsigned_amount, ZERO),
        transacted_at=reader.read("createdat", cells.moment),
        settled_at=reader.read("settledat", lambda value: cells.moment(value, required=False)),
        reference=reader.optional_text("orderreceipt"),
        notes=reader.optional_text("notes"),
        settlement_id=reader.required_text("settlementid"),
    )


def _paytm_row(reader: RowReader) -> LineFields:
    commission = reader.read("commission", cells.unsigned_amount, ZERO)
    gst = reader.read("gst", cells.unsigned_amount, ZERO)
    utr = reader.required_text("utr")
    return LineFields(
        gateway_id=reader.required_text("txnid"),
        entity_type=reader.read("txntype", lambda value: _kind(value, PAYTM_TYPES, "txnType"), ""),
        utr=utr,
        amount=reader.read("txnamount", cells.unsigned_amount, ZERO),
        fee=commission + gst,
        tax=gst,
        transacted_at=reader.read("txndate", cells.moment),
        settled_at=reader.read("payoutdate", cells.moment),
        reference=reader.optional_text("orderid"),
        notes=reader.optional_text("mercunqrefval"),
        settlement_id=utr,  # Paytm pays a day's rows out in one credit, named by its UTR
    )


RAZORPAY_RECON = ReportFormat(
    name="Razorpay settlement recon report",
    provider="razorpay",
    required=("entityid", "type", "amount", "fee", "tax", "createdat", "settlementid", "settlementutr"),
    read_row=_razorpay_row,
)
PAYTM_SETTLEMENT = ReportFormat(
    name="Paytm settlement report",
    provider="paytm",
    required=(
        "txnid",
        "txntype",
        "txnamount",
        "commission",
        "gst",
        "txndate",
        "payoutdate",
        "utr",
        "orderid",
    ),
    read_row=_paytm_row,
)
FORMATS = (RAZORPAY_RECON, PAYTM_SETTLEMENT)
