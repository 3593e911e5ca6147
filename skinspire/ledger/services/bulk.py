"""Bulk posting for high-volume callers (settlement import): same rules, far fewer queries."""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from skinspire.core.models import Hospital, User
from skinspire.ledger.errors import EntryConflictError
from skinspire.ledger.models import Account, JournalEntry, JournalLine
from skinspire.ledger.services.specs import (
    EntrySpec,
    LineKey,
    LineSpec,
    accounts_by_code,
    journal_lines,
    line_keys,
    source_key,
    validated_lines,
)

BATCH_SIZE = 2000
# A concurrent poster can claim a key between our "already posted?" query and our insert;
# then the batch is re-checked and retried. More than a few rounds means something is wrong.
MAX_ATTEMPTS = 3

EntryKey = tuple[str, str, str]  # (source_type, source_id, event)


@dataclass(frozen=True)
class _Prepared:
    key: EntryKey
    spec: EntrySpec
    lines: list[LineSpec]


def post_entries_bulk(*, hospital: Hospital, entries: list[EntrySpec], created_by: User | None = None) -> int:
    """Validate every entry, skip (source, event) pairs already posted, insert the rest in
    batches inside one transaction. Returns how many entries were newly posted.

    Any invalid entry, or a repeat with different lines, rolls the whole call back.
    """
    prepared = _prepare(entries)
    codes = {line.account_code for item in prepared for line in item.lines}
    accounts = accounts_by_code(hospital_id=hospital.pk, codes=codes) if codes else {}
    posted = 0
    with transaction.atomic():
        for start in range(0, len(prepared), BATCH_SIZE):
            batch = prepared[start : start + BATCH_SIZE]
            posted += _post_batch(hospital=hospital, batch=batch, accounts=accounts, created_by=created_by)
    return posted


def _prepare(entries: list[EntrySpec]) -> list[_Prepared]:
    by_key: dict[EntryKey, _Prepared] = {}
    for spec in entries:
        item = _Prepared((*source_key(spec.source), spec.event), spec, validated_lines(spec.lines))
        first = by_key.setdefault(item.key, item)
        if first is not item and line_keys(first.lines) != line_keys(item.lines):
            raise EntryConflictError(
                f"'{spec.event}' appears twice for {item.key[0]}:{item.key[1]} with different lines.",
                extra={"source_type": item.key[0], "source_id": item.key[1], "event": spec.event},
            )
    return list(by_key.values())


def _post_batch(*, hospital, batch: list[_Prepared], accounts: dict[str, Account], created_by) -> int:
    for attempt in range(1, MAX_ATTEMPTS + 1):
        fresh = _unposted(hospital=hospital, batch=batch)
        if not fresh:
            return 0
        try:
            with transaction.atomic():
                _insert(hospital=hospital, batch=fresh, accounts=accounts, created_by=created_by)
            return len(fresh)
        except IntegrityError:
            if attempt == MAX_ATTEMPTS:
                raise
    return 0  # unreachable: the last attempt returns or raises


def _unposted(*, hospital, batch: list[_Prepared]) -> list[_Prepared]:
    """One query for the batch's keys already in the book; those must match or it is a conflict."""
    wanted = {item.key: item for item in batch}
    # The IN lists select a superset of the keys (every combination); the exact match is below.
    candidates = JournalEntry.objects.filter(
        hospital=hospital,
        source_type__in={key[0] for key in wanted},
        source_id__in={key[1] for key in wanted},
        event__in={key[2] for key in wanted},
    ).values_list("id", "source_type", "source_id", "event")
    posted_ids = {
        (source_type, source_id, event): entry_id
        for entry_id, source_type, source_id, event in candidates
        if (source_type, source_id, event) in wanted
    }
    if posted_ids:
        _check_same_lines(wanted=wanted, posted_ids=posted_ids)
    return [item for item in batch if item.key not in posted_ids]


def _check_same_lines(*, wanted: dict[EntryKey, _Prepared], posted_ids: dict[EntryKey, int]) -> None:
    posted: dict[int, Counter[LineKey]] = defaultdict(Counter)
    rows = JournalLine.objects.filter(entry_id__in=posted_ids.values()).values_list(
        "entry_id", "account__code", "debit", "credit"
    )
    for entry_id, code, debit, credit in rows:
        posted[entry_id][(code, debit, credit)] += 1
    for key, entry_id in posted_ids.items():
        if posted[entry_id] != line_keys(wanted[key].lines):
            raise EntryConflictError(
                f"'{key[2]}' was already posted for {key[0]}:{key[1]} with different lines.",
                extra={"entry_id": entry_id},
            )


def _insert(*, hospital, batch: list[_Prepared], accounts: dict[str, Account], created_by) -> None:
    today = timezone.localdate()
    entries = JournalEntry.objects.bulk_create(
        JournalEntry(
            hospital=hospital,
            source_type=item.key[0],
            source_id=item.key[1],
            event=item.key[2],
            entry_date=item.spec.entry_date or today,
            memo=item.spec.memo,
            created_by=created_by,
        )
        for item in batch
    )
    # PostgreSQL and SQLite >= 3.35 return the new ids from bulk_create, so lines can point at them.
    JournalLine.objects.bulk_create(
        line
        for entry, item in zip(entries, batch, strict=True)
        for line in journal_lines(entry=entry, lines=item.lines, accounts=accounts)
    )
