"""An index on a supplier payment's UTR, for admin's search by it.

A plain AddIndex in the migration's transaction (see collections 0012 for why not
CONCURRENTLY): some hundreds of thousands of payments a year index in well under a second.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("payouts", "0012_database_money_rules")]

    operations = [
        migrations.AddIndex(
            model_name="supplierpayment",
            index=models.Index(
                condition=models.Q(("utr", ""), _negated=True), fields=["utr"], name="payouts_payment_utr"
            ),
        ),
    ]
