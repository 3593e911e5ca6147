"""Run the benchmarks on a throwaway database and print their figures: `make bench`.

The engine is whatever DATABASE_URL says (SQLite in memory by default). The throwaway
database is named `bench_<name>`, never the configured database itself, nor the `test_<name>`
a concurrent pytest run may be using; it is dropped afterwards.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skinspire.settings.test")

import django

django.setup()

import bench_ledger  # noqa: E402
import bench_money_rules  # noqa: E402
import bench_payout_tenancy  # noqa: E402
import bench_reconciliation  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402

# `bench/run.py` runs them all; `bench/run.py reconciliation` only the one named.
BENCHES = {
    "ledger": bench_ledger.main,
    "reconciliation": bench_reconciliation.main,
    "payout_tenancy": bench_payout_tenancy.main,
    "money_rules": bench_money_rules.main,
}


def main() -> None:
    setup_test_environment()
    configured_name = connection.settings_dict["NAME"]
    if connection.vendor != "sqlite":
        connection.settings_dict["TEST"]["NAME"] = f"bench_{configured_name}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
        for name in sys.argv[1:] or list(BENCHES):
            BENCHES[name]()
    finally:
        connection.creation.destroy_test_db(configured_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
