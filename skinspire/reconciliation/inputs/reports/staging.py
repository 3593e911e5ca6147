"""A CSV report parsed by PostgreSQL's COPY, its values checked a column at a time in Python.

The file is copied as it is into a temporary table of text columns: COPY parses the CSV (quotes,
line breaks inside quotes, the column count, UTF-8) at C speed, which is the import. Every value
is then checked on the way back (`staged_rows`), by the same column reader that reads a CSV
parsed in Python (plain.py, columns.py): amounts in whole paise, dates, known types, required
cells, text trimmed as the row reader trims it. So a file this path accepts gives exactly the
row reader's rows, and anything it cannot read (a bad cell, a malformed line, a cell PostgreSQL's
CSV would read differently from Python's) makes it return None: the caller reads the file in
Python then, which lists every error per row.

Checks inside the COPY (types and CHECK constraints) were measured and moved out: they cost three
times the COPY itself (docs/reconciliation.md, Benchmark), and the column reader does the same
checks for less in total. The table is temporary (not WAL-logged, dropped at commit): it lives
only between the COPY and reading the rows back, inside one transaction.
"""

import re
from dataclasses import dataclass
from datetime import date

import psycopg
from django.db import connection, transaction

from skinspire.reconciliation.engine import GatewayRow
from skinspire.reconciliation.engine.memory import cyclic_gc_paused
from skinspire.reconciliation.inputs.reports.columns import Columns
from skinspire.reconciliation.inputs.reports.formats import ReportFormat, normalised_header
from skinspire.reconciliation.inputs.reports.plain import COLUMNS_READ, column_rows

TABLE = "reconciliation_report_stage"
BLANK_ROW = re.compile(rb"[,\r]*")
# Each column comes back as one text value, its cells joined by the record separator (a control
# character no report has): no per-row protocol messages and no per-row Python objects but the
# cells themselves. A cell holding it makes the count wrong and the file goes to Python.
SEPARATOR = "\x1e"
# A result row is at most 1 GB in PostgreSQL, and the columns together are never longer than the
# file; a larger file (ten times the million-line report) is read in Python.
MOST_BYTES = 512 * 1024 * 1024
# Where PostgreSQL's CSV and Python's differ, the file is read in Python: a quote inside an
# unquoted cell (`ab"c"d` is `abcd` to PostgreSQL, `ab"c"d` to Python) and a line `\.` (the end
# of the data to COPY). Every quote must open and close a cell.
QUOTED = re.compile(rb'"(?:[^"]|"")*"')
CELL_EDGES = frozenset(b",\r\n")
NEWLINE = ord("\n")


@dataclass(frozen=True)
class StagedReport:
    """A report copied; its rows are read and checked with `staged_rows` in the same transaction."""

    provider: str
    columns: tuple[str, ...]  # the table's columns the column reader reads
    count: int


def report_stage(*, content: bytes, report_format: ReportFormat) -> StagedReport | None:
    """The report copied into the staging table (inside the caller's transaction), or None
    when it is not CSV that PostgreSQL reads as Python does: read it in Python then."""
    wanted = COLUMNS_READ.get(report_format.provider)
    if wanted is None or connection.vendor != "postgresql" or len(content) > MOST_BYTES:
        return None
    if not connection.in_atomic_block:
        raise RuntimeError("report_stage needs a transaction: its table is dropped at commit")
    header, start, end = _split(content)
    headers = _headers(header)
    if (
        headers is None
        or len(set(headers)) != len(headers)
        or any(column not in headers for column in report_format.required)
        or start >= end
        or not _read_alike(content, start, end)
    ):
        return None
    copied = [name if name in wanted else f"extra_{index}" for index, name in enumerate(headers)]
    columns = ", ".join(f"{name} text" for name in copied)
    # FORCE_NOT_NULL: an empty cell is '' (as Python's csv reads it), not NULL.
    copy = f"COPY {TABLE} ({', '.join(copied)}) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL ({', '.join(copied)}))"
    try:  # a refused file leaves nothing behind: the table goes with the savepoint
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{TABLE}")
            cursor.execute(f"CREATE TEMP TABLE {TABLE} ({columns}) ON COMMIT DROP")
            with cursor.copy(copy) as copying:
                copying.write(memoryview(content)[start:end])
                # COPY wants one kind of line ending throughout: the header's.
                copying.write(b"\r\n" if header.endswith(b"\r") else b"\n")
            count = cursor.rowcount
    except psycopg.DataError:  # a malformed line, a wrong number of cells, not UTF-8
        return None
    read = tuple(name for name in wanted if name in copied)
    return StagedReport(report_format.provider, read, count) if count > 0 else None


def staged_rows(staged: StagedReport, *, on: date) -> list[GatewayRow] | None:
    """The engine's rows, in file order, exactly as the row reader makes them, every value
    checked by the column reader (plain.py); None when a cell cannot be read or holds the
    separator (read the file in Python then, which lists every error)."""
    aggregates = ", ".join(f"string_agg({name}, E'\\x1e')" for name in staged.columns)
    with cyclic_gc_paused(), connection.cursor() as cursor:  # a million rows (engine/memory.py)
        # No ORDER BY: a temporary table created and filled by one COPY in this transaction is
        # written page after page (COPY skips the free space map for a table new in the
        # transaction) and scanned in that order (local buffers take no part in synchronised
        # scans, nor in parallel plans), so the aggregates see the rows in file order.
        cursor.execute(f"SELECT {aggregates} FROM {TABLE}")  # noqa: S608 (our own constants)
        joined = cursor.fetchone()
        cursor.execute(f"DROP TABLE {TABLE}")
        by_name = {}
        for name, cells in zip(staged.columns, joined, strict=True):
            by_name[name] = cells.split(SEPARATOR)
            if len(by_name[name]) != staged.count:  # a cell held the separator
                return None
        return column_rows(Columns.of(by_name, staged.count), provider=staged.provider, on=on)


def _read_alike(content: bytes, start: int, end: int) -> bool:
    """Whether PostgreSQL's CSV reads the body (content[start:end]) as Python's csv does (see
    QUOTED). Searched in place: the body of a large file is not copied."""
    backslash = content.find(b"\\", start, end)  # one byte: found at memchr's speed
    while backslash != -1:
        if (
            content[backslash - 1] == NEWLINE
            and content[backslash + 1 : backslash + 2] == b"."
            and (backslash + 2 >= end or content[backslash + 2] in CELL_EDGES)
        ):
            return False  # `\.` alone on a line (`\.,` too: stricter than needed, and rare)
        backslash = content.find(b"\\", backslash + 1, end)
    if content.find(b'"', start, end) == -1:
        return True
    inside = 0
    for quoted in QUOTED.finditer(content, start, end):
        first, last = quoted.span()
        if (first > start and content[first - 1] not in CELL_EDGES) or (
            last < end and content[last] not in CELL_EDGES
        ):
            return False
        inside += quoted.group().count(b'"')
    return inside == content.count(b'"', start, end)


def _split(content: bytes) -> tuple[bytes, int, int]:
    """The header line, and where the rest starts and ends without the blank rows spreadsheets
    end with (positions, so that a large body is never copied)."""
    newline = content.find(b"\n")
    if newline == -1:
        return content, len(content), len(content)
    start = newline + 1
    end = len(content)
    while end > start:  # the last line looked at alone: a million lines are not split
        while end > start and content[end - 1] in b"\r\n":
            end -= 1
        line = content.rfind(b"\n", start, end) + 1 or start
        if not BLANK_ROW.fullmatch(content, line, end):
            break
        end = line
    return content[:newline], start, end


def _headers(header: bytes) -> list[str] | None:
    """The header's names, normalised; None when it is not one plain CSV line."""
    try:
        text = header.decode("utf-8-sig").rstrip("\r")
    except UnicodeDecodeError:
        return None
    if '"' in text:
        return None
    return [normalised_header(name) for name in text.split(",")]
