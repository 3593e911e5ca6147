"""PostgreSQL checks, at commit, that every entry a transaction inserted has two or more
lines and balances, however the rows were written (migration 0005)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from skinspire.ledger.chart import BANK, RAZORPAY_CLEARING
from skinspire.ledger.models import Account, JournalEntry, JournalLine
from skinspire.ledger.selectors import trial_balance
from skinspire.ledger.services import EntrySpec, LineSpec, post_entries_bulk, post_entry, reverse_entry
from skinspire.ledger.tests.factories import pay_supplier

pytestmark = [pytest.mark.django_db(transaction=True)]

INSERT_ENTRY = (
    "INSERT INTO ledger_journalentry (hospital_id, entry_date, memo, source_type, source_id, event, created_at) "
    "VALUES (%s, %s, '', 'manual', %s, 'raw', now()) RETURNING id"
)
INSERT_LINE = (
    "INSERT INTO ledger_journalline (entry_id, account_id, debit, credit, memo) VALUES (%s, %s, %s, %s, '')"
)


def raw_entry(cursor, hospital, source_id: str) -> int:
    cursor.execute(INSERT_ENTRY, [hospital.pk, date(2026, 11, 30), source_id])
    return cursor.fetchone()[0]


def account_id(hospital, code: str) -> int:
    return Account.objects.get(hospital=hospital, code=code).pk


def commit_check_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM ledger_commit_check")
        return cursor.fetchone()[0]


def assert_book_empty():
    assert (JournalEntry.objects.count(), JournalLine.objects.count()) == (0, 0)


def test_a_raw_one_sided_insert_of_ten_lakh_is_refused_at_commit(postgres_only, chart, hospital):
    with (
        pytest.raises(IntegrityError, match=r"does not balance: 1 line\(s\), debits 1000000.00, credits 0"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        entry_id = raw_entry(cursor, hospital, "one-sided")
        cursor.execute(INSERT_LINE, [entry_id, account_id(hospital, BANK), Decimal("1000000.00"), 0])

    assert_book_empty()


def test_an_entry_without_lines_is_refused_at_commit(postgres_only, chart, hospital):
    with (
        pytest.raises(IntegrityError, match=r"does not balance: 0 line\(s\)"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        raw_entry(cursor, hospital, "empty")

    assert_book_empty()


def test_a_line_added_after_an_early_check_is_checked_again(postgres_only, chart, hospital):
    """SET CONSTRAINTS ... IMMEDIATE runs the check early; a line inserted afterwards queues
    another check, so the entry cannot be unbalanced once the first check has passed."""
    bank, clearing = account_id(hospital, BANK), account_id(hospital, RAZORPAY_CLEARING)
    with (
        pytest.raises(IntegrityError, match=r"3 line\(s\), debits 1000100.00, credits 100.00"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        entry_id = raw_entry(cursor, hospital, "late line")
        cursor.execute(INSERT_LINE, [entry_id, bank, Decimal("100.00"), 0])
        cursor.execute(INSERT_LINE, [entry_id, clearing, 0, Decimal("100.00")])
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # checked here, and balanced
        assert commit_check_rows() == 0
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(INSERT_LINE, [entry_id, bank, Decimal("1000000.00"), 0])

    assert_book_empty()


WRONG_TRANSACTION = "ledger_commit_check_posting_xact_check"


@pytest.mark.parametrize(
    ("tampering", "refusal"),
    [
        ("DELETE FROM ledger_commit_check", r"does not balance: 1 line\(s\)"),
        ("UPDATE ledger_commit_check SET posting_xact = '1'", WRONG_TRANSACTION),
        ("INSERT INTO ledger_commit_check VALUES ('1')", WRONG_TRANSACTION),
    ],
)
def test_tampering_with_the_pending_check_does_not_skip_it(
    postgres_only, chart, hospital, tampering, refusal
):
    """The check is queued when the row is inserted: deleting the row cannot cancel it, and
    no row can be moved to, or made for, another transaction."""
    with pytest.raises(IntegrityError, match=refusal), transaction.atomic(), connection.cursor() as cursor:
        entry_id = raw_entry(cursor, hospital, "tampered")
        cursor.execute(INSERT_LINE, [entry_id, account_id(hospital, BANK), Decimal("1000000.00"), 0])
        cursor.execute(tampering)

    assert_book_empty()


def posting_transactions() -> list[int]:
    """How many entries each posting transaction wrote, in the order of the transactions."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM ledger_journalentry GROUP BY posting_xact ORDER BY min(id)")
        return [row[0] for row in cursor.fetchall()]


def test_posting_reversing_and_bulk_posting_commit_with_the_checks_on(postgres_only, chart, hospital):
    entry = post_entry(hospital=hospital, source=("manual", "1"), event="paid", lines=pay_supplier("250.00"))
    reverse_entry(entry=entry, reason="paid twice")
    bulk = [
        EntrySpec(
            source=("settlement", str(number)),
            event="settled",
            lines=[LineSpec(BANK, debit="10.00"), LineSpec(RAZORPAY_CLEARING, credit="10.00")],
        )
        for number in range(3)
    ]
    assert post_entries_bulk(hospital=hospital, entries=bulk) == 3

    # Each call committed its own transaction, checked once and left no check pending.
    assert posting_transactions() == [1, 1, 3]
    assert commit_check_rows() == 0
    balances = {row.code: row.balance for row in trial_balance(hospital=hospital) if row.balance}
    assert balances == {BANK: Decimal("30.00"), RAZORPAY_CLEARING: Decimal("-30.00")}
