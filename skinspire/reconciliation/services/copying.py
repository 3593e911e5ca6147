"""Rows stored by PostgreSQL's COPY, in CSV form with tabs between values.

A run stores millions of items. COPY takes them several times faster than INSERTs, and
writing the stream ourselves (`str` and `"\t".join` over each row, both C code) costs a
fraction of what adapting each value through psycopg's `write_row` does, or of `csv.writer`,
which scans every character for quoting (0.7 s against 0.14 s for 200,000 rows). A chunk is
checked as a whole: when a value holds a tab, a quote or a line break, that chunk is written
by `csv.writer`, which quotes it.

In CSV form an empty unquoted value is NULL; FORCE_NOT_NULL makes it the empty string for
the text columns that are never NULL. So a row gives NULL as "" (not None, which `str` would
write as "None"), and an empty text column stays empty.
"""

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.db import connection, models
from psycopg.copy import QueuedLibpqWriter

CHUNK = 20_000  # rows per write: large enough to amortise the call, small enough for memory
NULL = ""  # what a row holds for NULL in a nullable column


@contextmanager
def copy_text_open(model: type[models.Model], attributes: Sequence[str]) -> Iterator[Callable[[str], None]]:
    """A COPY of chunks already in its form (lines of `attributes`' values joined by tabs when
    `is_plain`, else `quoted`); `attributes` must name every column but the primary key. Open
    for the block: the block (or a thread it starts, while the block waits for it and uses the
    connection for nothing else) writes chunks with the function it is given. An exception out of the block
    abandons the COPY (PostgreSQL keeps none of it)."""
    fields = _fields(model, attributes)
    if len(fields) != len(attributes):
        raise ValueError(f"copy_text_open needs every column of {model.__name__} but its primary key.")
    with _copy_open(model, fields) as copy:
        yield copy.write


def other_columns(model: type[models.Model], attributes: Sequence[str]) -> tuple[tuple[str, ...], tuple]:
    """The columns `attributes` leaves out but the primary key (attnames), and their fields'
    defaults as COPY's text (NULL as NULL, JSON as JSON text): for a caller of `copy_text_open`
    that formats its own lines and lets the other columns take their defaults, so a field
    added to the model later is stored without a change there."""
    others = _fields(model, attributes)[len(attributes) :]
    return tuple(field.attname for field in others), tuple(
        _text(field, field.get_default()) for field in others
    )


def is_plain(text: str, *, width: int, rows: int) -> bool:
    """Lines of tab-separated values that need no quoting: no value holds a tab, a quote or
    a line break."""
    return (
        text.count("\t") == (width - 1) * rows
        and text.count("\n") == rows
        and '"' not in text
        and "\r" not in text
    )


def quoted(rows: Iterable[Sequence]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter="\t", lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _fields(model: type[models.Model], attributes: Sequence[str]) -> list:
    """The fields of `attributes`, then every other column but the primary key."""
    by_attname = {field.attname: field for field in model._meta.concrete_fields}
    others = [
        field for field in by_attname.values() if field.attname not in attributes and not field.primary_key
    ]
    return [by_attname[name] for name in attributes] + others


@contextmanager
def _copy_open(model: type[models.Model], fields: list) -> Iterator:
    quote = connection.ops.quote_name
    never_null = [
        quote(str(field.column))
        for field in fields
        if isinstance(field, (models.CharField, models.TextField)) and not field.null
    ]
    options = "FORMAT csv, DELIMITER E'\\t'"
    options += f", FORCE_NOT_NULL ({', '.join(never_null)})" if never_null else ""
    columns = ", ".join(quote(str(field.column)) for field in fields)
    statement = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN WITH ({options})"
    # The writer sends chunks from a thread of its own: PostgreSQL parses one chunk while we
    # format the next (psycopg's default writer would make each wait for the other). Asked of
    # psycopg's own cursor: with DEBUG on, Django's query-logging wrapper takes no writer.
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(statement, writer=QueuedLibpqWriter(cursor.cursor)) as copy,
    ):
        yield copy


def _text(field, value) -> object:
    if isinstance(field, models.JSONField):
        return json.dumps(value)
    return NULL if value is None else value
