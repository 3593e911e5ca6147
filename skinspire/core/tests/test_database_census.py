"""The migrated database holds exactly the listed triggers and constraints (database_census.py).

The behaviour tests of each rule cover the tables they happen to touch; the census covers
them all, so a migration that silently loses a trigger (SQLite's table rebuild) fails here.
"""

import copy
import importlib

import pytest
from django.db import connection
from django.db.utils import load_backend

from skinspire.core.models import Hospital
from skinspire.core.tests.database_census import census, differences, expected
from skinspire.ledger.models import Account

LEDGER_RULES = importlib.import_module("skinspire.ledger.migrations.0005_database_rules")


def test_the_migrated_database_holds_exactly_the_listed_rules(db):
    report = differences(expected(connection.vendor), census(connection), connection.vendor)

    assert not report, report


@pytest.fixture
def throwaway_sqlite(db, tmp_path):
    """A SQLite database of its own holding the ledger's accounts and 0005's trigger on them,
    whatever database the suite runs on: the hazard is SQLite's."""
    backend = load_backend("django.db.backends.sqlite3")
    settings = {**connection.settings_dict, "NAME": str(tmp_path / "rebuilt.sqlite3"), "OPTIONS": {}}
    throwaway = backend.DatabaseWrapper(settings, alias="census_throwaway")
    account_fixed = next(sql for sql in LEDGER_RULES.SQLITE if "ledger_account_fixed" in sql)
    # Not atomic: Django's atomic blocks find a connection by its alias in settings.DATABASES.
    with throwaway.schema_editor(atomic=False) as editor:
        editor.create_model(Hospital)
        editor.create_model(Account)
        editor.execute(account_fixed, params=None)
    yield throwaway
    throwaway.close()


def test_a_rebuilt_sqlite_table_loses_its_trigger_and_the_census_names_it(throwaway_sqlite):
    listed = {line for line in expected("sqlite") if line.split()[1] == "ledger_account"}
    assert not differences(listed, census(throwaway_sqlite), "sqlite")
    code = Account._meta.get_field("code")
    longer_code = copy.deepcopy(code)
    longer_code.max_length = 40

    # What a migration's AlterField does on SQLite: a new table, the rows copied, the old one
    # dropped, and its triggers with it.
    with throwaway_sqlite.schema_editor(atomic=False) as editor:
        editor.alter_field(Account, code, longer_code)

    report = differences(listed, census(throwaway_sqlite), "sqlite")
    assert report.splitlines()[:2] == [
        "Missing from the sqlite database (listed in database_census_sqlite.txt):",
        "  trigger ledger_account ledger_account_fixed before update",
    ]
    assert "re-create it in the migration that rebuilt the table" in report


def test_a_trigger_not_listed_is_named_with_what_to_do():
    report = differences(set(), {"trigger ledger_account ledger_account_new before delete"}, "sqlite")

    assert report.splitlines() == [
        "In the sqlite database but not in database_census_sqlite.txt:",
        "  trigger ledger_account ledger_account_new before delete",
        "If a migration meant to add or change these rules, put the lines above in database_census_sqlite.txt "
        "(and remove the old line of a changed rule); docs/ledger.md, 'The census of the database's rules'.",
    ]
