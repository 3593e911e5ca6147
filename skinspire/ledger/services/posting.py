"""Posting one journal entry, idempotently, and reversing one."""

from collections import Counter
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from skinspire.core.models import Hospital, User
from skinspire.ledger.errors import EntryConflictError, LedgerError
from skinspire.ledger.models import JournalEntry, JournalLine
from skinspire.ledger.services.specs import (
    LineKey,
    LineSpec,
    Source,
    accounts_by_code,
    journal_lines,
    line_keys,
    source_key,
    validated_lines,
)


def post_entry(
    *,
    hospital: Hospital,
    source: Source,
    event: str,
    lines: list[LineSpec],
    memo: str = "",
    entry_date: date | None = None,
    created_by: User | None = None,
) -> JournalEntry:
    """Post a balanced entry once per (source, event); a repeat returns the first entry.

    A repeat with different lines is a bug in the caller, so it raises EntryConflictError
    instead of hiding the difference.
    """
    return _post(
        hospital=hospital,
        source=source,
        event=event,
        lines=lines,
        memo=memo,
        entry_date=entry_date,
        created_by=created_by,
        reverses=None,
    )


def reverse_entry(*, entry: JournalEntry, reason: str, created_by: User | None = None) -> JournalEntry:
    """Post the mirror image of `entry` (debits become credits); the only way to correct one."""
    mirrored = [
        LineSpec(account_code=code, debit=credit, credit=debit, memo=memo)
        for code, debit, credit, memo in entry.lines.values_list("account__code", "debit", "credit", "memo")
    ]
    return _post(
        hospital=entry.hospital,
        source=(entry.source_type, entry.source_id),
        event=f"{entry.event}.reversal",
        lines=mirrored,
        memo=reason,
        entry_date=None,
        created_by=created_by,
        reverses=entry,
    )


def _post(*, hospital, source, event, lines, memo, entry_date, created_by, reverses) -> JournalEntry:
    if not event:
        raise LedgerError("A posting needs an event name.")
    source_type, source_id = source_key(source)
    checked = validated_lines(lines)
    accounts = accounts_by_code(hospital_id=hospital.pk, codes={line.account_code for line in checked})
    key = {"hospital": hospital, "source_type": source_type, "source_id": source_id, "event": event}
    existing = JournalEntry.objects.filter(**key).first()
    if existing is not None:
        return _same_or_conflict(existing, line_keys(checked))
    try:
        # A savepoint, so losing the race to a concurrent poster leaves the caller's
        # transaction usable for fetching the winner's entry.
        with transaction.atomic():
            entry = JournalEntry.objects.create(
                **key,
                entry_date=entry_date or timezone.localdate(),
                memo=memo,
                reverses=reverses,
                created_by=created_by,
            )
            JournalLine.objects.bulk_create(journal_lines(entry=entry, lines=checked, accounts=accounts))
    except IntegrityError:
        existing = JournalEntry.objects.filter(**key).first()
        if existing is None:
            raise
        return _same_or_conflict(existing, line_keys(checked))
    return entry


def _same_or_conflict(entry: JournalEntry, wanted: Counter[LineKey]) -> JournalEntry:
    posted = Counter(entry.lines.values_list("account__code", "debit", "credit"))
    if posted != wanted:
        raise EntryConflictError(
            f"'{entry.event}' was already posted for {entry.source_type}:{entry.source_id} "
            "with different lines; post a reversal and a new event instead.",
            extra={"entry_id": entry.pk},
        )
    return entry
