"""The SQLite the project falls back to is set up for a web server and a worker at once."""

from django.db import connection

from tests.embedded_sqlite import shell_on_sqlite

INSPECT = (
    "from django.db import connection\n"
    "with connection.cursor() as cursor:\n"
    "    pragmas = [cursor.execute(f'PRAGMA {name}').fetchone()[0]"
    " for name in ('journal_mode', 'synchronous', 'busy_timeout')]\n"
    "print(pragmas, connection.settings_dict['OPTIONS']['transaction_mode'])\n"
)


def test_a_sqlite_database_url_gets_wal_a_busy_timeout_and_immediate_transactions(tmp_path):
    result = shell_on_sqlite(tmp_path, INSPECT, timeout=120)
    assert result.returncode == 0, result.stderr
    # synchronous=NORMAL is 1; busy_timeout is in milliseconds.
    assert result.stdout.strip() == "['wal', 1, 20000] IMMEDIATE"


def test_other_databases_keep_their_own_options():
    if connection.vendor == "sqlite":
        assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    else:
        assert "transaction_mode" not in connection.settings_dict["OPTIONS"]
        assert "init_command" not in connection.settings_dict["OPTIONS"]
