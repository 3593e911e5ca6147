"""Indexes for the workspace's supplier payments search (skinspire.payouts.selectors.
payment_search): parts of invoice numbers, and a payment's own searched columns.

As collections 0015: Django's `icontains` is `UPPER(column) LIKE UPPER(pattern)` and
`iexact` is `UPPER(column) = UPPER(value)` on PostgreSQL, so the trigram indexes (pg_trgm,
GIN) are of UPPER(column). One index holds a payment's four searched columns (reference,
manual reference, UTR, gateway payout id): each column's condition is served by it, for
LIKE and, from PostgreSQL 14, for `=`, and PostgreSQL combines them (a BitmapOr) with the
matched suppliers' and invoices' payments, so a search few payments match reads only those.
PostgreSQL only, kept out of the models' state (SQLite rebuilds a table from that state and
would fail on a GIN index). The extension is created if this migration runs before
collections 0015, and is left in place going backwards: the bills' indexes need it.

Plain CREATE INDEX in the migration's transaction: a year's 365k payments and invoices
index in seconds (bench/big_lists/README.md).
"""

from django.db import migrations

INDEXES = {
    "payouts_invoice_number_trgm": ("payouts_supplierinvoice", ["number"]),
    "payouts_payment_search_trgm": (
        "payouts_supplierpayment",
        ["reference", "manual_reference", "utr", "gateway_payout_id"],
    ),
}


def indexes_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, columns) in INDEXES.items():
        expressions = ", ".join(f'(UPPER("{column}")) gin_trgm_ops' for column in columns)
        schema_editor.execute(f'CREATE INDEX "{name}" ON "{table}" USING gin ({expressions})')


def indexes_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX "{name}"')


class Migration(migrations.Migration):
    dependencies = [("payouts", "0014_payment_words_said_at")]

    operations = [migrations.RunPython(indexes_create, indexes_drop)]
