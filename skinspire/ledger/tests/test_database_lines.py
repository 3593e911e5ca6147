"""Lines the database refuses however they are written: into an entry another transaction
posted, or onto another hospital's account (migration 0005; PostgreSQL and SQLite)."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from skinspire.ledger.chart import ACCOUNTS_PAYABLE, BANK
from skinspire.ledger.models import Account, JournalEntry, JournalLine
from skinspire.ledger.services import post_entry
from skinspire.ledger.tests.factories import pay_supplier

# Each rule's refusal, as each database words it.
JOINING_A_POSTED_ENTRY = {
    "postgresql": "the entry was posted by an earlier transaction",
    "sqlite": "the entry already balances",
}


def account(hospital, code: str) -> Account:
    return Account.objects.get(hospital=hospital, code=code)


def lines_as_posted():
    return list(
        JournalLine.objects.order_by("id").values_list("entry_id", "account__code", "debit", "credit")
    )


@pytest.fixture
def posted(chart, hospital):
    """An entry whose transaction has committed (under transactional_db)."""
    return post_entry(hospital=hospital, source=("manual", "1"), event="paid", lines=pay_supplier("100.00"))


@pytest.mark.django_db(transaction=True)
def test_a_line_added_through_the_orm_to_a_posted_entry_is_refused(posted, hospital):
    before = lines_as_posted()

    with pytest.raises(IntegrityError, match=JOINING_A_POSTED_ENTRY[connection.vendor]):
        JournalLine.objects.create(entry=posted, account=account(hospital, BANK), debit=Decimal("1000000.00"))

    assert lines_as_posted() == before


@pytest.mark.django_db(transaction=True)
def test_a_balanced_pair_added_to_a_posted_entry_is_refused_too(posted, hospital):
    before = lines_as_posted()
    pair = [
        JournalLine(entry=posted, account=account(hospital, BANK), debit=Decimal("500.00")),
        JournalLine(entry=posted, account=account(hospital, ACCOUNTS_PAYABLE), credit=Decimal("500.00")),
    ]

    with pytest.raises(IntegrityError, match=JOINING_A_POSTED_ENTRY[connection.vendor]), transaction.atomic():
        JournalLine.objects.bulk_create(pair)

    assert lines_as_posted() == before


@pytest.mark.django_db
def test_a_line_on_another_hospitals_account_is_refused(chart, hospital, other_hospital):
    with pytest.raises(IntegrityError, match="belongs to another hospital"), transaction.atomic():
        entry = JournalEntry.objects.create(
            hospital=hospital,
            entry_date=timezone.localdate(),
            source_type="manual",
            source_id="1",
            event="paid",
        )
        JournalLine.objects.bulk_create(
            [
                JournalLine(
                    entry=entry, account=account(hospital, ACCOUNTS_PAYABLE), debit=Decimal("100.00")
                ),
                JournalLine(entry=entry, account=account(other_hospital, BANK), credit=Decimal("100.00")),
            ]
        )

    assert (JournalEntry.objects.count(), JournalLine.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_a_reversal_of_another_hospitals_entry_is_refused(chart, hospital, other_hospital):
    theirs = post_entry(
        hospital=other_hospital, source=("manual", "1"), event="paid", lines=pay_supplier("100.00")
    )

    with (
        pytest.raises(IntegrityError, match="another hospital|not an entry of its hospital"),
        transaction.atomic(),
    ):
        JournalEntry.objects.create(
            hospital=hospital,
            entry_date=timezone.localdate(),
            source_type="manual",
            source_id="1",
            event="paid.reversal",
            reverses=theirs,
        )

    assert list(JournalEntry.objects.values_list("pk", flat=True)) == [theirs.pk]


@pytest.mark.django_db
def test_an_entry_cannot_claim_another_transaction(postgres_only, chart, hospital):
    """posting_xact is what lets lines in; the database sets it and refuses any other value."""
    with (
        pytest.raises(IntegrityError, match="posting_xact is set by the database"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "INSERT INTO ledger_journalentry (hospital_id, entry_date, memo, source_type, source_id, event, "
            "created_at, posting_xact) VALUES (%s, now(), '', 'manual', '1', 'paid', now(), "
            "(pg_current_xact_id()::text::bigint + 1)::text::xid8)",
            [hospital.pk],
        )

    assert JournalEntry.objects.count() == 0
