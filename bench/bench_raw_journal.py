"""Raw SQL helpers for the ledger benchmark (PostgreSQL only).

`insert` writes the same entries and lines post_entries_bulk would, as multi-row INSERTs
through the cursor in one transaction, with every database rule on: the floor for the ORM
path. `rules_switched_off` disables migration 0005's triggers on the throwaway bench
database (the bench runs as its owner), so the ORM path can be measured as it was before them.
"""

from contextlib import contextmanager

from django.db import connection, transaction
from django.utils import timezone

from skinspire.ledger.models import Account
from skinspire.ledger.services import EntrySpec
from skinspire.ledger.services.specs import source_key

# Statement-level triggers of 0005; with them off no commit check is queued either.
RULE_TRIGGERS = {
    "ledger_journalentry": "ledger_journalentry_rules",
    "ledger_journalline": "ledger_journalline_rules",
}
ENTRY_COLUMNS = "(hospital_id, entry_date, memo, source_type, source_id, event, created_by_id, created_at)"
LINE_COLUMNS = "(entry_id, account_id, debit, credit, memo)"


@contextmanager
def rules_switched_off():
    _switch("DISABLE")
    try:
        yield
    finally:
        _switch("ENABLE")


def _switch(action: str) -> None:
    with connection.cursor() as cursor:
        for table, trigger in RULE_TRIGGERS.items():
            cursor.execute(f"ALTER TABLE {table} {action} TRIGGER {trigger}")


def insert(*, hospital, entries: list[EntrySpec], created_by, batch_size: int) -> None:
    """Insert `entries` and their lines in one transaction; the commit runs the balance check."""
    accounts = dict(Account.objects.filter(hospital=hospital).values_list("code", "id"))
    today, now = timezone.localdate(), timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(entries), batch_size):
            batch = entries[start : start + batch_size]
            entry_rows = [
                (hospital.pk, today, spec.memo, *source_key(spec.source), spec.event, created_by, now)
                for spec in batch
            ]
            entry_ids = _insert_returning_ids(cursor, "ledger_journalentry", ENTRY_COLUMNS, entry_rows)
            line_rows = [
                (entry_id, accounts[line.account_code], line.debit, line.credit, line.memo)
                for entry_id, spec in zip(entry_ids, batch, strict=True)
                for line in spec.lines
            ]
            _insert_returning_ids(cursor, "ledger_journalline", LINE_COLUMNS, line_rows)


def _insert_returning_ids(cursor, table: str, columns: str, rows: list[tuple]) -> list[int]:
    row_placeholder = "(" + ", ".join(["%s"] * len(rows[0])) + ")"
    values = ", ".join([row_placeholder] * len(rows))
    cursor.execute(
        f"INSERT INTO {table} {columns} VALUES {values} RETURNING id",
        [value for row in rows for value in row],
    )
    # In the order of the VALUES rows, which Django's bulk_create relies on as well.
    return [row[0] for row in cursor.fetchall()]
