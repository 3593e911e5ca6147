from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from skinspire.ledger.chart import BANK
from skinspire.ledger.errors import ImmutableEntryError
from skinspire.ledger.models import Account, JournalEntry, JournalLine
from skinspire.ledger.services import post_entry
from skinspire.ledger.tests.factories import pay_supplier

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(chart, hospital):
    return post_entry(
        hospital=hospital,
        source=("manual", "1"),
        event="test",
        lines=pay_supplier("100.00"),
        memo="as posted",
    )


def assert_untouched(entry):
    assert JournalEntry.objects.get().memo == "as posted"
    assert list(JournalLine.objects.values_list("debit", "credit")) == [
        (Decimal("100.00"), Decimal("0.00")),
        (Decimal("0.00"), Decimal("100.00")),
    ]


def test_models_refuse_saving_a_posted_entry_or_line(entry):
    entry.memo = "edited"
    line = entry.lines.first()
    line.debit = Decimal("1.00")

    with pytest.raises(ImmutableEntryError):
        entry.save()
    with pytest.raises(ImmutableEntryError):
        line.save()

    assert_untouched(entry)


def test_models_refuse_deleting_a_posted_entry_or_line(entry):
    with pytest.raises(ImmutableEntryError):
        entry.lines.first().delete()
    with pytest.raises(ImmutableEntryError):
        entry.delete()

    assert_untouched(entry)


def test_querysets_refuse_bulk_update_and_delete(entry):
    for queryset in (JournalEntry.objects.all(), JournalLine.objects.filter(entry=entry), entry.lines.all()):
        with pytest.raises(ImmutableEntryError):
            queryset.update(memo="edited")
        with pytest.raises(ImmutableEntryError):
            queryset.delete()

    assert_untouched(entry)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE ledger_journalline SET debit = debit + 1 WHERE debit > 0",
        "UPDATE ledger_journalentry SET memo = 'edited'",
    ],
)
def test_database_refuses_raw_update(entry, statement):
    """A trigger on PostgreSQL and on SQLite."""
    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)

    assert_untouched(entry)


@pytest.mark.parametrize("table", ["ledger_journalline", "ledger_journalentry"])
def test_database_refuses_raw_delete_on_postgresql(postgres_only, entry, table):
    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")

    assert_untouched(entry)


def test_accounts_stay_editable(entry, hospital):
    bank = Account.objects.get(hospital=hospital, code=BANK)
    bank.name = "HDFC current account"
    bank.save()

    assert Account.objects.get(pk=bank.pk).name == "HDFC current account"
