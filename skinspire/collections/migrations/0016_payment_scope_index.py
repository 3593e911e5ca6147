"""An index of a payment's (hospital, branch), for the payments API's exact count of a
hospital's staff's payments: the count is then read from the index alone (an index-only
scan) instead of the table. Built in about 7 s for a year's 7.3M payments (1 December 2026,
bench/big_lists/README.md); a plain AddIndex, as 0012."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("collections", "0015_bill_search_indexes")]

    operations = [
        migrations.AddIndex(
            model_name="patientpayment",
            index=models.Index(fields=["hospital", "branch"], name="collections_payment_scope"),
        ),
    ]
