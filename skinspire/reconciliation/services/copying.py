"""Rows stored by PostgreSQL's COPY in CSV form, the CSV written by Python's csv module.

A run stores millions of items. COPY takes them several times faster than INSERTs, and
writing the stream with `csv.writer` (C code, a chunk of rows per call) costs a fraction of
what adapting each value through psycopg's `write_row` does. In CSV form an empty unquoted
value is NULL; FORCE_NOT_NULL makes it the empty string for the text columns that are
never NULL, so `""` and None keep their meaning.
"""

import csv
import io
import json
from collections.abc import Iterable, Sequence
from itertools import islice

from django.db import connection, models

CHUNK = 20_000  # rows per write: large enough to amortise the call, small enough for memory


def copy_rows(model: type[models.Model], attributes: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Each row holds the values of `attributes` (attnames: `run_id`, not `run`), in order."""
    by_attname = {field.attname: field for field in model._meta.concrete_fields}
    fields = [by_attname[name] for name in attributes]
    quote = connection.ops.quote_name
    never_null = [
        quote(str(field.column))
        for field in fields
        if isinstance(field, (models.CharField, models.TextField)) and not field.null
    ]
    options = "FORMAT csv" + (f", FORCE_NOT_NULL ({', '.join(never_null)})" if never_null else "")
    columns = ", ".join(quote(str(field.column)) for field in fields)
    statement = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN WITH ({options})"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    iterator = iter(rows)
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        while chunk := list(islice(iterator, CHUNK)):
            writer.writerows(chunk)
            copy.write(buffer.getvalue())
            buffer.seek(0)
            buffer.truncate()


def copy_instances(model: type[models.Model], instances: Iterable[models.Model]) -> None:
    """Unsaved model objects stored by COPY, every concrete column but the primary key: the
    model's own defaults apply, and a field added later is stored without a change here."""
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    json_fields = {field.attname for field in fields if isinstance(field, models.JSONField)}
    attributes = [field.attname for field in fields]

    def values(instance: models.Model) -> list:
        return [
            json.dumps(getattr(instance, name)) if name in json_fields else getattr(instance, name)
            for name in attributes
        ]

    copy_rows(model, attributes, map(values, instances))
