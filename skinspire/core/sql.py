"""SQL that a hot path runs as text instead of through the ORM's query building."""

from django.db import models


def insert_fields(model: type[models.Model]) -> list[models.Field]:
    """Every column of `model` but its id, in the order `insert_statement` binds them."""
    return [field for field in model._meta.concrete_fields if field is not model._meta.pk]


def insert_statement(model: type[models.Model], connection) -> str:
    """`INSERT INTO <table> (<every column but the id>) VALUES (%s, …)`, for the caller to
    extend (ON CONFLICT, RETURNING) and keep: names come from the model's metadata, quoted,
    and every value is a parameter."""
    quote = connection.ops.quote_name
    fields = insert_fields(model)
    columns = ", ".join(quote(field.column) for field in fields)
    values = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({values})"  # noqa: S608
