"""A payment link's payments may share their gateway order: one payment per order stays the
rule for the orders we make for a checkout, not for a link's.

A Razorpay link has one order, and each part of a link paid in parts is a payment of that
order (https://razorpay.com/docs/payments/payment-links/partial-payments/): the second part
could not be recorded at all. Payments stay unique by their gateway payment id
(collections_payment_gateway_payment_unique). A partial unique index (dropped and built
again, in the migration's transaction; on SQLite too, without rebuilding the table).

Going back is refused while any order has several payments (a link paid in parts), naming
them, before the index is touched: see `payments_sharing_an_order_refuse`.
"""

from django.db import migrations, models
from django.db.migrations.exceptions import IrreversibleError
from django.db.models import Count

NAMED_AT_MOST = 20  # orders listed in the refusal; the rest are counted


def payments_sharing_an_order_refuse(apps, schema_editor):
    """Reversing 0014 brings back one payment per (source, order) for every payment. There is
    no faithful way back for an order that has several: each is a real part, taken and
    recorded (money the hospital holds, receipts, refunds, ledger entries), and 0013 has no
    place for a second part of an order: deleting one loses a payment, and moving or blanking
    its order id makes up data and cuts the part off from its gateway order (0013's code finds
    a payment by its order). So this refuses with the rows that stand in the way, instead of
    the bare IntegrityError the index would raise (and SQLite's, naming no row). Runs first
    going back (it is the last operation), so nothing is changed before the refusal."""
    payment = apps.get_model("collections", "PatientPayment")
    shared = list(
        payment.objects.exclude(gateway_order_id="")
        .values("source", "gateway_order_id")
        .annotate(payments=Count("pk"))
        .filter(payments__gt=1)
        .order_by("source", "gateway_order_id")
    )
    if not shared:
        return
    lines = []
    for order in shared[:NAMED_AT_MOST]:
        parts = payment.objects.filter(source=order["source"], gateway_order_id=order["gateway_order_id"])
        named = ", ".join(
            f"{reference} (id {pk}, link {link_id})"
            for pk, reference, link_id in parts.order_by("pk").values_list(
                "pk", "reference", "payment_link_id"
            )
        )
        lines.append(f"  {order['source']} order {order['gateway_order_id']}: {named}")
    if len(shared) > NAMED_AT_MOST:
        lines.append(f"  and {len(shared) - NAMED_AT_MOST} more orders")
    raise IrreversibleError(
        f"collections 0014 cannot be reversed: {len(shared)} gateway order(s) have several "
        "payments (parts of a payment link paid in parts), and before 0014 an order has one "
        "payment. No faithful way back exists (each part is a payment taken); these rows "
        "stand in the way:\n" + "\n".join(lines)
    )


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
        # Last, so that going back it runs first.
        migrations.RunPython(migrations.RunPython.noop, payments_sharing_an_order_refuse),
    ]
