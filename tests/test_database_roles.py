"""The application role of docs/sql/app_role.sql can post to the ledger and nothing more: the
deployment guide's SQL, run against the test database under a throwaway role that disappears
with the test's transaction (CREATE ROLE is transactional in PostgreSQL)."""

import uuid
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction

from skinspire.ledger.chart import BANK
from skinspire.ledger.models import Account, JournalEntry, JournalLine
from skinspire.ledger.services import chart_of_accounts_create, post_entry
from skinspire.ledger.tests.factories import pay_supplier

APP_ROLE_SQL = Path(__file__).resolve().parent.parent / "docs" / "sql" / "app_role.sql"

REFUSED_TO_THE_APP = [
    ("TRUNCATE ledger_journalline", "permission denied"),
    ("UPDATE ledger_journalline SET debit = debit + 1", "permission denied"),
    ("DELETE FROM ledger_journalentry", "permission denied"),
    ("UPDATE ledger_account SET code = '1001' WHERE code = '1000'", "permission denied"),
    ("DELETE FROM ledger_account", "permission denied"),
    ("ALTER TABLE ledger_journalline DISABLE TRIGGER ledger_journalline_rules", "must be owner"),
    ("DROP TRIGGER ledger_journalline_rules ON ledger_journalline", "must be owner"),
    ("SET session_replication_role = replica", "permission denied"),
]


@pytest.fixture
def as_app_role(postgres_only, hospital):
    chart_of_accounts_create(hospital=hospital)
    role = f"skinspire_app_test_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" NOLOGIN')
        cursor.execute(APP_ROLE_SQL.read_text().replace(':"app_role"', f'"{role}"'))
        cursor.execute(f'SET LOCAL ROLE "{role}"')
    yield role
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


@pytest.mark.django_db
def test_the_app_role_posts_and_its_commit_check_runs(as_app_role, hospital):
    entry = post_entry(hospital=hospital, source=("manual", "1"), event="paid", lines=pay_supplier("100.00"))
    with connection.cursor() as cursor:
        # Runs the commit-time balance check now, as this role: it reads the journal and
        # deletes this transaction's ledger_commit_check row.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SELECT count(*) FROM ledger_commit_check")
        assert cursor.fetchone()[0] == 0
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    assert JournalLine.objects.filter(entry=entry).count() == 2


@pytest.mark.django_db
def test_the_app_role_renames_accounts(as_app_role, hospital):
    Account.objects.filter(hospital=hospital, code=BANK).update(name="HDFC current account")

    assert Account.objects.get(hospital=hospital, code=BANK).name == "HDFC current account"


@pytest.mark.django_db
@pytest.mark.parametrize(("statement", "refusal"), REFUSED_TO_THE_APP)
def test_the_app_role_cannot_change_or_empty_the_ledger(as_app_role, hospital, statement, refusal):
    post_entry(hospital=hospital, source=("manual", "1"), event="paid", lines=pay_supplier("100.00"))

    with pytest.raises(DatabaseError, match=refusal), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)

    assert (JournalEntry.objects.count(), JournalLine.objects.count()) == (1, 2)
    assert Account.objects.filter(hospital=hospital, code=BANK).exists()
