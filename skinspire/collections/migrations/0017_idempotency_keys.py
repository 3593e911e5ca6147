"""A counter payment's and a refund's idempotency key: the caller's, unique per hospital, and
fixed once the row is inserted (skinspire.core.idempotency; docs/collections.md).

The key is nullable (NULL: none given, as for every gateway payment) and its uniqueness a
constraint with a condition: on SQLite a nullable column is added and a conditional unique
constraint built as an index without rebuilding the table, which would drop its triggers.

The key joins each table's fixed columns in the money triggers of 0011: a retry that found
the row by its key must find the same row tomorrow, so no writer may change or add a key
after the insert. The payment's and the refund's other rules are 0011's, unchanged, and so
are the triggers' names (the old ones are dropped and the new ones installed in their
place, as 0013 does for the link). The moves are literals, as in 0011
(collections/tests/test_database_money_rules.py compares them with the models' tables).
"""

from django.db import migrations, models

from skinspire.core.database_money_rules import MoneyRules, replace

PAYMENT_BEFORE = MoneyRules(
    table="collections_patientpayment",
    label="collections: patient payment",
    start=("pending",),
    moves=(
        ("authorized", "captured"),
        ("authorized", "failed"),
        ("captured", "partially_refunded"),
        ("captured", "refunded"),
        ("failed", "captured"),
        ("partially_refunded", "refunded"),
        ("pending", "authorized"),
        ("pending", "captured"),
        ("pending", "failed"),
    ),
    fixed=("amount",),
    set_once=("fee", "tax"),
    never_down=("amount_refunded",),
)
REFUND_BEFORE = MoneyRules(
    table="collections_patientrefund",
    label="collections: patient refund",
    start=("pending",),
    moves=(("pending", "failed"), ("pending", "processed")),
    fixed=("amount",),
)
RULES = (
    MoneyRules(
        table=PAYMENT_BEFORE.table,
        label=PAYMENT_BEFORE.label,
        start=PAYMENT_BEFORE.start,
        moves=PAYMENT_BEFORE.moves,
        fixed=("amount", "idempotency_key"),
        set_once=PAYMENT_BEFORE.set_once,
        never_down=PAYMENT_BEFORE.never_down,
    ),
    MoneyRules(
        table=REFUND_BEFORE.table,
        label=REFUND_BEFORE.label,
        start=REFUND_BEFORE.start,
        moves=REFUND_BEFORE.moves,
        fixed=("amount", "idempotency_key"),
    ),
)
MIGRATION = "collections migration 0017"
PAYMENT_FORWARDS, PAYMENT_BACKWARDS = replace(
    PAYMENT_BEFORE, RULES[0], app="collections", migration=MIGRATION
)
REFUND_FORWARDS, REFUND_BACKWARDS = replace(REFUND_BEFORE, RULES[1], app="collections", migration=MIGRATION)


class Migration(migrations.Migration):
    dependencies = [("collections", "0016_payment_scope_index")]

    operations = [
        migrations.AddField(
            model_name="patientpayment",
            name="idempotency_key",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="The caller's; the same key returns the same payment.",
                max_length=100,
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="patientrefund",
            name="idempotency_key",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="The caller's; the same key returns the same refund.",
                max_length=100,
                null=True,
            ),
        ),
        migrations.AddConstraint(
            model_name="patientpayment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("idempotency_key__isnull", False)),
                fields=("hospital", "idempotency_key"),
                name="collections_payment_idempotency_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="patientrefund",
            constraint=models.UniqueConstraint(
                condition=models.Q(("idempotency_key__isnull", False)),
                fields=("hospital", "idempotency_key"),
                name="collections_refund_idempotency_unique",
            ),
        ),
        migrations.RunPython(PAYMENT_FORWARDS, PAYMENT_BACKWARDS),
        migrations.RunPython(REFUND_FORWARDS, REFUND_BACKWARDS),
    ]
