"""A plain CSV report straight to the engine's rows, a column at a time (columns.py).

Used first for every CSV upload; when a cell is not plain it returns None and the report is
parsed row by row (parsing.py), which reports every error. The rules are the row reader's
(formats.py and gateway_lines.py): the same columns, the same key per line, the same dates.
"""

import csv
import io
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from itertools import compress, repeat
from operator import add

from skinspire.reconciliation.engine import GatewayRow, Kind, RowStatus
from skinspire.reconciliation.inputs.reports.columns import Columns, NotPlain
from skinspire.reconciliation.inputs.reports.formats import (
    PAYTM_TYPES,
    RAZORPAY_TYPES,
    ReportFormat,
    normalised_header,
)


@dataclass(frozen=True)
class LineColumns:
    """The settlement lines of a report, one list per field (gateway_lines.LineFields)."""

    gateway_ids: list[str]
    kinds: list[Kind]
    utrs: list[str]
    amounts: list[Decimal]
    fees: list[Decimal]
    taxes: list[Decimal]
    transacted_on: list[date | None]
    settled_on: list[date | None]
    references: list[str]
    notes: list[str]
    settlement_ids: list[str]


def _razorpay(columns: Columns) -> LineColumns:
    return LineColumns(
        gateway_ids=columns.required_text("entityid"),
        kinds=columns.kinds("type", RAZORPAY_TYPES),
        utrs=columns.text("settlementutr"),
        amounts=columns.amounts("amount"),
        fees=columns.amounts("fee"),
        taxes=columns.amounts("tax"),
        transacted_on=columns.dates("createdat", required=True),
        settled_on=columns.dates("settledat", required=False),
        references=columns.text("orderreceipt"),
        notes=columns.text("notes"),
        settlement_ids=columns.required_text("settlementid"),
    )


def _paytm(columns: Columns) -> LineColumns:
    gst, utrs = columns.amounts("gst"), columns.required_text("utr")
    return LineColumns(
        gateway_ids=columns.required_text("txnid"),
        kinds=columns.kinds("txntype", PAYTM_TYPES),
        utrs=utrs,
        amounts=columns.amounts("txnamount"),
        fees=list(map(add, columns.amounts("commission"), gst)),  # commission excludes GST
        taxes=gst,
        transacted_on=columns.dates("txndate", required=True),
        settled_on=columns.dates("payoutdate", required=True),
        references=columns.text("orderid"),
        notes=columns.text("mercunqrefval"),
        settlement_ids=utrs,  # Paytm pays a day's rows out in one credit, named by its UTR
    )


READERS = {"razorpay": _razorpay, "paytm": _paytm}
COLUMNS_READ = {  # the normalised headers each reader reads (a test holds them to the readers)
    "razorpay": (
        "entityid", "type", "amount", "fee", "tax", "createdat", "settledat", "settlementid", "settlementutr",
        "orderreceipt", "notes",
    ),
    "paytm": (
        "txnid", "txntype", "txnamount", "commission", "gst", "txndate", "payoutdate", "utr", "orderid",
        "mercunqrefval",
    ),
}  # fmt: skip


def plain_report_rows(*, content: bytes, report_format: ReportFormat, on: date) -> list[GatewayRow] | None:
    """The rows of a plain CSV report, or None when it is not one (read it row by row then)."""
    try:
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    except (UnicodeDecodeError, csv.Error):
        return None
    if not rows:
        return None
    headers = [normalised_header(header) for header in rows[0]]
    body = [row for row in rows[1:] if any(row)]  # spreadsheets end with blank rows
    width = len(headers)
    if (
        not body
        or len(set(headers)) != width
        or any(column not in headers for column in report_format.required)
        or any(len(row) != width for row in body)
    ):
        return None
    return column_rows(Columns(headers, body), provider=report_format.provider, on=on)


def column_rows(columns: Columns, *, provider: str, on: date) -> list[GatewayRow] | None:
    """The engine's rows from a report's columns, or None when a cell is not plain."""
    try:
        lines = READERS[provider](columns)
    except NotPlain:
        return None
    return _gateway_rows(lines, on=on)


def _gateway_rows(lines: LineColumns, *, on: date) -> list[GatewayRow]:
    """As gateway_lines.gateway_rows: key `<settlement id>/<gateway id>` (`#2`... when a line
    is listed again), dated when it happened, else when settled, else `on`."""
    keys = list(map("/".join, zip(lines.settlement_ids, lines.gateway_ids, strict=True)))
    if len(set(keys)) != len(keys):
        # Only the lines of a repeated key are visited in Python; finding them runs in C.
        repeated = {key for key, count in Counter(keys).items() if count > 1}
        seen: Counter[str] = Counter()
        for index in compress(range(len(keys)), map(repeated.__contains__, keys)):
            base = keys[index]
            seen[base] += 1
            if seen[base] > 1:
                keys[index] = f"{base}#{seen[base]}"
    dates: list[date | None] = lines.transacted_on
    if None in dates:
        dates = [
            transacted or settled or on
            for transacted, settled in zip(lines.transacted_on, lines.settled_on, strict=True)
        ]
    # tuple.__new__ builds each named tuple in C, without GatewayRow's Python-level __new__.
    return list(
        map(
            partial(tuple.__new__, GatewayRow),
            zip(
                keys,
                lines.gateway_ids,
                lines.utrs,
                lines.amounts,
                lines.fees,
                lines.taxes,
                repeat(RowStatus.SUCCESS),  # a line in a settlement is money that moved
                dates,
                lines.kinds,
                lines.references,
                lines.notes,
                lines.settlement_ids,
                lines.settled_on,
                strict=False,  # repeat() is endless; the lists are all as long
            ),
        )
    )
