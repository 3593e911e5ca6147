"""A payment link's payments may share their gateway order: one payment per order stays the
rule for the orders we make for a checkout, not for a link's.

A Razorpay link has one order, and each part of a link paid in parts is a payment of that
order (https://razorpay.com/docs/payments/payment-links/partial-payments/): the second part
could not be recorded at all. Payments stay unique by their gateway payment id
(collections_payment_gateway_payment_unique). A partial unique index (dropped and built
again, in the migration's transaction; on SQLite too, without rebuilding the table).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("collections", "0013_link_amount_paid_never_down")]

    operations = [
        migrations.RemoveConstraint(
            model_name="patientpayment",
            name="collections_payment_gateway_order_unique",
        ),
        migrations.AddConstraint(
            model_name="patientpayment",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    models.Q(("gateway_order_id", ""), _negated=True), ("payment_link__isnull", True)
                ),
                fields=("source", "gateway_order_id"),
                name="collections_payment_gateway_order_unique",
            ),
        ),
    ]
