"""The ledger's tables as a whole: never truncated, accounts fixed once they exist, and the
rules of migration 0005 only switched on over a book that already keeps them."""

import importlib
from contextlib import contextmanager
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from skinspire.ledger.chart import BANK
from skinspire.ledger.models import Account, JournalEntry, JournalLine
from skinspire.ledger.services import post_entry
from skinspire.ledger.tests.factories import AccountFactory, pay_supplier


def check_existing_book():
    migration = importlib.import_module("skinspire.ledger.migrations.0005_database_rules")
    migration.check_existing_book(apps=None, schema_editor=SimpleNamespace(connection=connection))


@pytest.fixture
def entry(chart, hospital):
    return post_entry(hospital=hospital, source=("manual", "1"), event="paid", lines=pay_supplier("100.00"))


def book():
    return Account.objects.count(), JournalEntry.objects.count(), JournalLine.objects.count()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("table", ["ledger_journalline", "ledger_journalentry", "ledger_account"])
def test_truncate_is_refused(postgres_only, entry, table):
    before = book()

    with (
        pytest.raises(DatabaseError, match=f"TRUNCATE on {table} refused"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"TRUNCATE {table} CASCADE")

    assert book() == before


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["code", "type", "hospital_id"])
def test_an_accounts_hospital_code_and_type_never_change(hospital, other_hospital, field):
    """Postings and statements read them; only the name may change (as in admin)."""
    account = AccountFactory(hospital=hospital, code="9100", type="asset")
    setattr(account, field, {"code": "9101", "type": "liability", "hospital_id": other_hospital.pk}[field])

    with pytest.raises(IntegrityError, match="hospital, code and type never change"), transaction.atomic():
        account.save()

    assert Account.objects.filter(pk=account.pk).values_list("hospital_id", "code", "type").get() == (
        hospital.pk,
        "9100",
        "asset",
    )


@pytest.mark.django_db(transaction=True)
def test_an_account_with_postings_cannot_be_deleted_and_its_id_given_to_another_hospital(
    postgres_only, entry, other_hospital
):
    """The foreign key alone allows this (the id exists again at commit), and it would move
    the posted lines onto another hospital's book."""
    bank = Account.objects.get(hospital=entry.hospital, code=BANK)

    with (
        pytest.raises(IntegrityError, match=f"account #{bank.pk} carries postings"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM ledger_account WHERE id = %s", [bank.pk])
        cursor.execute(
            "INSERT INTO ledger_account (id, hospital_id, code, name, type, created_at) "
            "VALUES (%s, %s, '9999', 'Elsewhere', 'asset', now())",
            [bank.pk, other_hospital.pk],
        )

    assert Account.objects.filter(pk=bank.pk).values_list("hospital_id", "code").get() == (
        entry.hospital_id,
        BANK,
    )


@contextmanager
def written_before_the_rules():
    """Rows as a pre-0005 book could hold them: PostgreSQL's insert triggers off meanwhile,
    inside the test's transaction, which is rolled back."""
    triggers = {
        "ledger_journalentry": "ledger_journalentry_rules",
        "ledger_journalline": "ledger_journalline_rules",
    }
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        for table, trigger in triggers.items():
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
        yield
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE waits for no pending events
        for table, trigger in triggers.items():
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@pytest.mark.django_db
def test_the_rules_are_not_switched_on_over_an_unbalanced_book(chart, hospital):
    """Like adding a CHECK constraint: migration 0005 first verifies the existing book."""
    bank = Account.objects.get(hospital=hospital, code=BANK)
    with written_before_the_rules():  # one line, never balanced
        legacy = JournalEntry.objects.create(
            hospital=hospital, entry_date="2025-01-01", source_type="legacy", source_id="7", event="paid"
        )
        JournalLine.objects.create(entry=legacy, account=bank, debit=Decimal("10.00"))

    with pytest.raises(RuntimeError, match=f"Journal entry #{legacy.pk} is unbalanced"):
        check_existing_book()


@pytest.mark.django_db
def test_a_balanced_book_passes_the_migrations_check(entry):
    check_existing_book()


@pytest.mark.django_db
@pytest.mark.parametrize("blank", ["source_type", "source_id", "event"])
def test_an_entry_always_names_its_source_and_event(hospital, blank):
    """What post_entry refuses with a LedgerError, the database refuses too."""
    names = {"source_type": "manual", "source_id": "1", "event": "paid", blank: ""}

    with pytest.raises(IntegrityError, match="ledger_entry_names_source_and_event"), transaction.atomic():
        JournalEntry.objects.create(hospital=hospital, entry_date="2026-01-01", **names)

    assert JournalEntry.objects.count() == 0


@pytest.mark.django_db
def test_an_account_has_one_of_the_five_types(hospital):
    with pytest.raises(IntegrityError, match="ledger_account_type_known"), transaction.atomic():
        Account.objects.create(hospital=hospital, code="9200", name="Suspense", type="suspense")

    assert not Account.objects.filter(code="9200").exists()


@pytest.mark.django_db
def test_no_line_joins_an_entry_posted_before_the_rules(postgres_only, chart, hospital):
    """Entries from before migration 0005 have no posting_xact, which no transaction matches."""
    with written_before_the_rules(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO ledger_journalentry (hospital_id, entry_date, memo, source_type, source_id, event, "
            "created_at, posting_xact) VALUES (%s, '2025-01-01', '', 'legacy', '8', 'paid', now(), NULL) "
            "RETURNING id",
            [hospital.pk],
        )
        legacy_id = cursor.fetchone()[0]

    with pytest.raises(IntegrityError, match="posted by an earlier transaction"), transaction.atomic():
        JournalLine.objects.create(
            entry_id=legacy_id,
            account=Account.objects.get(hospital=hospital, code=BANK),
            debit=Decimal("5.00"),
        )

    assert not JournalLine.objects.filter(entry_id=legacy_id).exists()
