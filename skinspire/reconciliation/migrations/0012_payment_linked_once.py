"""One payment accounts for one gateway line: at most one discrepancy of a hospital names it.

A discrepancy resolved by linking it to one of our payments, or by creating the missing
payment, records that payment in `linked_key` (e.g. "patient_payment:42"). The service checks
that no other discrepancy of the hospital names it, under the payment's row lock; this makes
the same rule the database's own, as a partial unique index (rows with no payment are left
out). The rows already stored are checked first, so that a hospital that somehow has two
discrepancies naming one payment learns which, instead of reading an index error.
"""

from django.db import migrations, models


def check_stored_links(apps, schema_editor):
    Discrepancy = apps.get_model("reconciliation", "Discrepancy")
    twice = (
        Discrepancy.objects.exclude(linked_key="")
        .values("hospital_id", "linked_key")
        .annotate(count=models.Count("id"))
        .filter(count__gt=1)
        .order_by("hospital_id", "linked_key")
        .first()
    )
    if twice:
        ids = list(
            Discrepancy.objects.filter(hospital_id=twice["hospital_id"], linked_key=twice["linked_key"])
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        raise RuntimeError(
            f"Discrepancies {ids} of hospital #{twice['hospital_id']} all name payment {twice['linked_key']}; "
            "a payment accounts for one gateway line: correct them before applying "
            "reconciliation 0012_payment_linked_once."
        )


class Migration(migrations.Migration):
    dependencies = [("reconciliation", "0011_items_ids_cached")]

    operations = [
        migrations.RunPython(check_stored_links, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="discrepancy",
            constraint=models.UniqueConstraint(
                condition=models.Q(("linked_key", ""), _negated=True),
                fields=("hospital", "linked_key"),
                name="discrepancy_payment_linked_once",
            ),
        ),
    ]
