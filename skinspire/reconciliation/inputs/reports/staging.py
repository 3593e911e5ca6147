"""A CSV report validated by PostgreSQL itself: COPY into a typed staging table.

The file is copied as it is into a temporary table whose columns carry the report's rules as
types and CHECK constraints (amounts in whole paise, dates in the plain ISO form, known types,
required cells present, no surrounding whitespace), so PostgreSQL checks every value at COPY
speed. The rules are the row reader's (formats.py, cells.py) or stricter: a file this path
accepts gives exactly the row reader's rows; anything it refuses (one bad or merely unusual
cell, a blank row in the middle, an odd header) makes `report_stage` return None and the
caller reads the file in Python, which accepts the unusual and lists every error per row.

The table is temporary (not WAL-logged, dropped at commit): it lives only between the COPY
and reading the rows back, inside one transaction.
"""

import re
from collections import Counter
from dataclasses import dataclass
from itertools import islice
from operator import gt

import psycopg
from django.db import connection, transaction

from skinspire.reconciliation.engine import GatewayRow, Kind, RowStatus
from skinspire.reconciliation.engine.memory import cyclic_gc_paused
from skinspire.reconciliation.inputs.gateway_lines import KINDS
from skinspire.reconciliation.inputs.reports.formats import (
    PAYTM_TYPES,
    RAZORPAY_TYPES,
    ReportFormat,
    normalised_header,
)

TABLE = "reconciliation_report_stage"
BLANK_ROW = re.compile(rb"[,\r]*")


def _text(name: str, *, required: bool = False) -> str:
    # Nothing at either end that Python's str.strip (the row reader's) would remove: the first
    # and last characters printable ASCII, a superset of what strip keeps (a cell starting
    # with "é" is read in Python instead). One call per end: cheaper than a regular expression.
    edges = f"ascii({name}) BETWEEN 33 AND 126 AND ascii(right({name}, 1)) BETWEEN 33 AND 126"
    check = f"{name} <> '' AND {edges}" if required else f"{name} = '' OR ({edges})"
    return f"{name} text NOT NULL DEFAULT '' CHECK ({check})"


def _amount(name: str) -> str:
    # numeric unconstrained, so 1.005 is refused rather than rounded; NaN is not below 1e12.
    return f"{name} numeric NOT NULL CHECK ({name} = round({name}, 2) AND abs({name}) < 1e12)"


def _moment(name: str, *, required: bool) -> str:
    """`YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DD`, naive (India time, so its date is the day): the
    value read back as text (DateStyle ISO) must be the cell itself, which refuses every
    other form PostgreSQL would read (`now`, `24:00:00`, `5 BC`, `10/04/2026`...)."""
    check = (
        f"(length({name}) = 19 AND {name}::timestamp::text = {name})"
        f" OR (length({name}) = 10 AND {name}::date::text = {name})"
    )
    check = check if required else f"{name} = '' OR {check}"
    return f"{name} text NOT NULL DEFAULT '' CHECK ({check})"


def _day(name: str) -> str:
    return f"CASE WHEN {name} = '' THEN NULL ELSE left({name}, 10)::date END"


def _spellings(known: dict[str, str]) -> list[str]:
    """The usual spellings of each word; another (`pAyment`) is read in Python."""
    return [spelling for word in known for spelling in dict.fromkeys((word, word.capitalize(), word.upper()))]


def _kind(name: str, known: dict[str, str]) -> str:
    words = ", ".join(f"'{word}'" for word in _spellings(known))
    return f"{name} text NOT NULL CHECK ({name} IN ({words}))"


def _engine_kind(name: str, known: dict[str, str]) -> str:
    cases = " ".join(
        f"WHEN '{spelling}' THEN '{KINDS.get(entity_type, Kind.ADJUSTMENT).value}'"
        for word, entity_type in known.items()
        for spelling in _spellings({word: entity_type})
    )
    return f"CASE {name} {cases} END"


@dataclass(frozen=True)
class Layout:
    columns: dict[str, str]  # normalised header -> column definition
    key: str  # `<settlement id>/<gateway id>`
    select: str  # the engine's row fields, in GatewayRow order without `key` and `status`


LAYOUTS = {
    "razorpay": Layout(
        columns={
            "entityid": _text("entityid", required=True),
            "type": _kind("type", RAZORPAY_TYPES),
            "amount": _amount("amount"),
            "fee": _amount("fee"),
            "tax": _amount("tax"),
            "createdat": _moment("createdat", required=True),
            "settledat": _moment("settledat", required=False),
            "settlementid": _text("settlementid", required=True),
            "settlementutr": _text("settlementutr"),
            "orderreceipt": _text("orderreceipt"),
            "notes": _text("notes"),
        },
        key="settlementid || '/' || entityid",
        select=(
            "entityid, settlementutr, abs(amount)::numeric(14, 2), abs(fee)::numeric(14, 2),"
            f" abs(tax)::numeric(14, 2), {_day('createdat')}, {_engine_kind('type', RAZORPAY_TYPES)},"
            f" orderreceipt, notes, settlementid, {_day('settledat')}"
        ),
    ),
    "paytm": Layout(
        columns={
            "txnid": _text("txnid", required=True),
            "txntype": _kind("txntype", PAYTM_TYPES),
            "txnamount": _amount("txnamount"),
            "commission": _amount("commission"),
            "gst": _amount("gst"),
            "txndate": _moment("txndate", required=True),
            "payoutdate": _moment("payoutdate", required=True),
            "utr": _text("utr", required=True),
            "orderid": _text("orderid"),
            "mercunqrefval": _text("mercunqrefval"),
        },
        key="utr || '/' || txnid",
        select=(  # commission excludes GST; Paytm names a day's payout by its UTR
            "txnid, utr, abs(txnamount)::numeric(14, 2), (abs(commission) + abs(gst))::numeric(14, 2),"
            f" abs(gst)::numeric(14, 2), {_day('txndate')}, {_engine_kind('txntype', PAYTM_TYPES)},"
            f" orderid, mercunqrefval, utr, {_day('payoutdate')}"
        ),
    ),
}


@dataclass(frozen=True)
class StagedReport:
    """A report copied and checked; its rows are read with `staged_rows` in the same transaction."""

    layout: Layout
    count: int


def report_stage(*, content: bytes, report_format: ReportFormat) -> StagedReport | None:
    """The report copied into the staging table (inside the caller's transaction), or None
    when PostgreSQL refused a value or the file is not plain CSV: read it in Python then."""
    layout = LAYOUTS.get(report_format.provider)
    if layout is None or connection.vendor != "postgresql":
        return None
    if not connection.in_atomic_block:
        raise RuntimeError("report_stage needs a transaction: its table is dropped at commit")
    header, body = _split(content)
    headers = _headers(header)
    if (
        headers is None
        or len(set(headers)) != len(headers)
        or any(column not in headers for column in report_format.required)
    ):
        return None
    copied = [name if name in layout.columns else f"extra_{index}" for index, name in enumerate(headers)]
    columns = [definition for name, definition in layout.columns.items()]
    columns += [f"{name} text" for name in copied if name.startswith("extra_")]
    never_null = ", ".join(
        name for name in copied if "text NOT NULL DEFAULT ''" in layout.columns.get(name, "")
    )
    options = "FORMAT csv" + (f", FORCE_NOT_NULL ({never_null})" if never_null else "")
    copy = f"COPY {TABLE} ({', '.join(copied)}) FROM STDIN WITH ({options})"
    try:  # a refused file leaves nothing behind: the table goes with the savepoint
        with transaction.atomic(), connection.cursor() as cursor:
            # _moment's checks compare with dates written the ISO way (psycopg reads them so too).
            cursor.execute("SET LOCAL datestyle = 'ISO'")
            cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{TABLE}")
            cursor.execute(
                f"CREATE TEMP TABLE {TABLE} (line bigint GENERATED ALWAYS AS IDENTITY, {', '.join(columns)})"
                " ON COMMIT DROP"
            )
            with cursor.copy(copy) as copying:
                copying.write(body)
            count = cursor.rowcount
    except (psycopg.DataError, psycopg.IntegrityError):  # a value refused, a malformed line
        return None
    return StagedReport(layout, count) if count > 0 else None


def staged_rows(staged: StagedReport) -> list[GatewayRow]:
    """The engine's rows, in file order, exactly as the row reader makes them
    (gateway_lines.gateway_rows): key `<settlement id>/<gateway id>`, `#2`... when repeated."""
    kinds, success, new = {kind.value: kind for kind in Kind}, RowStatus.SUCCESS, tuple.__new__
    with cyclic_gc_paused(), connection.cursor() as cursor:  # a million rows (engine/memory.py)
        # No ORDER BY: a temporary table filled by one COPY is scanned in the order it was
        # written (local buffers take no part in synchronised scans), and sorting a million
        # rows spills to disk. The line numbers come along to check it, and sort if ever not.
        cursor.execute(f"SELECT line, {staged.layout.key}, {staged.layout.select} FROM {TABLE}")  # noqa: S608 (our own constants)
        fetched = cursor.fetchall()
        cursor.execute(f"DROP TABLE {TABLE}")
        lines = [row[0] for row in fetched]
        if any(map(gt, lines, islice(lines, 1, None))):
            fetched.sort()
        keys = _numbered([row[1] for row in fetched])
        # tuple.__new__ builds each named tuple without GatewayRow's Python-level __new__.
        return [
            new(GatewayRow, (key, gateway_id, utr, amount, fee, tax, success, day, kinds[kind], reference, notes,
                             settlement_id, settled_on))
            for key, (_, _, gateway_id, utr, amount, fee, tax, day, kind, reference, notes, settlement_id, settled_on)
            in zip(keys, fetched, strict=True)
        ]  # fmt: skip


def _numbered(keys: list[str]) -> list[str]:
    if len(set(keys)) == len(keys):
        return keys
    seen: Counter[str] = Counter()
    numbered = []
    for base in keys:
        seen[base] += 1
        numbered.append(base if seen[base] == 1 else f"{base}#{seen[base]}")
    return numbered


def _split(content: bytes) -> tuple[bytes, bytes]:
    """The header line and the rest, without the blank rows spreadsheets end with."""
    header, _, body = content.partition(b"\n")
    body = body.rstrip(b"\r\n")
    while body:  # the last line looked at alone: a million lines are not split
        start = body.rfind(b"\n") + 1
        if not BLANK_ROW.fullmatch(body, start):
            break
        body = body[:start].rstrip(b"\r\n")
    ending = b"\r\n" if header.endswith(b"\r") else b"\n"  # COPY wants one kind throughout
    return header, body + ending if body else b""


def _headers(header: bytes) -> list[str] | None:
    """The header's names, normalised; None when it is not one plain CSV line."""
    try:
        text = header.decode("utf-8-sig").rstrip("\r")
    except UnicodeDecodeError:
        return None
    if '"' in text:
        return None
    return [normalised_header(name) for name in text.split(",")]
