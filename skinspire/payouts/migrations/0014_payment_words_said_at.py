"""When the gateway said a payment's waiting reason and its payout link's word
(services/outcomes.py, `word_said_at`). Rows kept before have none: the next word applies,
whatever its time, as it did until now."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("payouts", "0013_payment_utr_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="supplierpayment",
            name="payout_link_said_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="supplierpayment",
            name="waiting_said_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
    ]
