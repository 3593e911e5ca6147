"""The default chart of accounts for hospitals that existed before the ledger.

The list is frozen here, as it was when this migration was written; later additions to
skinspire/ledger/chart.py need their own data migration.
"""

from django.db import migrations

DEFAULT_ACCOUNTS = [
    ("1000", "Bank", "asset"),
    ("1100", "Razorpay clearing", "asset"),
    ("1110", "Paytm clearing", "asset"),
    ("1200", "Patient receivables", "asset"),
    ("1300", "GST input", "asset"),
    ("2000", "Accounts payable (suppliers)", "liability"),
    ("4900", "Refunds", "income"),
    ("5000", "Gateway fees", "expense"),
]


def create_charts(apps, schema_editor):
    Hospital = apps.get_model("core", "Hospital")
    Account = apps.get_model("ledger", "Account")
    for hospital in Hospital.objects.all():
        for code, name, type_ in DEFAULT_ACCOUNTS:
            Account.objects.get_or_create(
                hospital=hospital, code=code, defaults={"name": name, "type": type_}
            )


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_immutability_triggers"), ("core", "0001_initial")]

    # Reversing leaves the accounts: they may already carry postings.
    operations = [migrations.RunPython(create_charts, migrations.RunPython.noop)]
