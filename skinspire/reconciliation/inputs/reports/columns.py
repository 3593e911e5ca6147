"""A CSV report read a column at a time: the fast path for a large file.

The row-by-row reader (parsing.py) calls a Python function per cell; a million-line report
has ten million cells. Here each column is checked at once against the plain form gateways
download (amounts like `1000.00`, `1000` or `-200.00`, dates like `2026-04-10 12:30:00`, known types),
with C-level `map`s over the column (a compiled regex, `Decimal`, a dict). A cell of another
form that the cell rules accept (`1,000`, `10/04/2026`, Unix seconds) is read by those rules,
one cell at a time. Any cell that cannot be read stops this path (`NotPlain`): the file is
then parsed row by row, which lists every error per line and column, exactly as before. So
the result, and every message, is the row reader's; only the time differs.
"""

import re
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Context, Decimal, Inexact, InvalidOperation
from itertools import repeat
from typing import Any

from skinspire.reconciliation.engine import Kind
from skinspire.reconciliation.inputs.gateway_lines import KINDS, local_date
from skinspire.reconciliation.inputs.reports import cells

PLAIN_AMOUNT = re.compile(r"-?[0-9]{1,12}(?:\.[0-9]{1,2})?")  # ASCII: \d is any script's digit
PAISA = Decimal("0.01")
PLAIN_CHARACTERS = re.compile(r"[-.0-9]*")
PAST_PAISE = re.compile(r"\.[0-9]{3}")  # 5.000: exact, but the rule for typed amounts refuses it
EXACT = Context(prec=14, traps=[InvalidOperation, Inexact])  # 12 digits of rupees, 2 of paise
PLAIN_MOMENT = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[ T](?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9])?"
)  # ASCII, as above


class NotPlain(Exception):
    """A cell this path does not read: the caller parses the file row by row instead."""


class Columns:
    """The cells of a report by normalised header, one tuple per column."""

    def __init__(self, headers: list[str], rows: list[list[str]]):
        self.count = len(rows)
        transposed = list(zip(*rows, strict=True)) if rows else [() for _ in headers]
        self.by_name: dict[str, Sequence[str]] = dict(zip(headers, transposed, strict=True))

    @classmethod
    def of(cls, by_name: dict[str, Sequence[str]], count: int) -> "Columns":
        """Columns already apart (read back from PostgreSQL a column at a time, staging.py)."""
        columns = cls.__new__(cls)
        columns.count, columns.by_name = count, by_name
        return columns

    def text(self, name: str) -> list[str]:
        cells_of = self.by_name.get(name)
        return list(map(str.strip, cells_of)) if cells_of is not None else [""] * self.count

    def required_text(self, name: str) -> list[str]:
        values = self.text(name)
        if not all(values):
            raise NotPlain(name)
        return values

    def amounts(self, name: str) -> list[Decimal]:
        """Rupees, unsigned (refunds may carry a minus sign; the type says the side)."""
        cells_of = self.by_name.get(name)
        exact = _exact_amounts(cells_of) if cells_of is not None else None
        if exact is not None:
            return exact
        values = self.text(name)
        if all(map(PLAIN_AMOUNT.fullmatch, values)):
            return list(map(abs, map(Decimal.quantize, map(Decimal, values), repeat(PAISA))))
        return _each(values, cells.unsigned_amount)

    def dates(self, name: str, *, required: bool) -> list[date | None]:
        """The India-time date of each moment (a naive one is India time already); None for
        an empty optional cell."""
        values = self.text(name)
        present = values if required else [value for value in values if value]
        if all(map(PLAIN_MOMENT.fullmatch, present)):
            try:
                days = {text: date.fromisoformat(text) for text in {value[:10] for value in present}}
            except ValueError as error:  # 2026-02-30
                raise NotPlain(name) from error
            return [days[value[:10]] if value else None for value in values]
        return _each(values, lambda value: local_date(cells.moment(value, required=required)))

    def kinds(self, name: str, known: dict[str, str]) -> list[Kind]:
        """The engine's kind of each row, from the report's word for it (`known`)."""
        table = {word: KINDS.get(entity_type, Kind.ADJUSTMENT) for word, entity_type in known.items()}
        try:
            return list(map(table.__getitem__, map(str.casefold, self.text(name))))
        except KeyError as error:
            raise NotPlain(name) from error


def _exact_amounts(cells_of: Sequence[str]) -> list[Decimal] | None:
    """The column read in C when it holds only digits, points and minus signs: what Decimal
    reads of such text is the value the cell rules read, if it is in whole paise and below
    10^12; EXACT traps the rest (`1.234`, `1-2`, an empty cell) and the caller reads the column
    the slower way. Cheaper than a regular expression per cell."""
    joined = "".join(cells_of)
    if not PLAIN_CHARACTERS.fullmatch(joined) or PAST_PAISE.search("|".join(cells_of)):
        return None
    try:
        exact = map(Decimal.quantize, map(Decimal, cells_of), repeat(PAISA), repeat(None), repeat(EXACT))
        return list(map(abs, exact)) if "-" in joined else list(exact)
    except (InvalidOperation, Inexact):
        return None


def _each(values: list[str], parse: Callable[[str], Any]) -> list:
    try:
        return [parse(value) for value in values]
    except (cells.CellError, ValueError) as error:
        raise NotPlain(str(error)) from error
