"""A payment link's paid amount never goes down, kept by the database too.

Migration 0011 left a link's paid amount free, "the gateway's latest word": but a gateway's
answers arrive out of order (a status fetch made before a second partial payment, applied
after the webhook that reported it), and the latest to arrive may be the oldest. The service
keeps only a larger amount (services/links.py, `payment_link_status_apply`); this adds the
rule to the link's triggers, as the patient payment's refunded amount has it, for every
other writer too. The link's other rules are 0011's, unchanged, and so are the triggers'
names: the old ones are dropped and the new ones installed in their place.

The moves are literals, as in 0011 (collections/tests/test_database_money_rules.py compares
them with the model's table). SQL built by skinspire.core.database_money_rules.
"""

from django.db import migrations

from skinspire.core.database_money_rules import MoneyRules, replace

LINK_MOVES = (
    ("created", "cancelled"),
    ("created", "expired"),
    ("created", "paid"),
    ("created", "partially_paid"),
    ("partially_paid", "cancelled"),
    ("partially_paid", "expired"),
    ("partially_paid", "paid"),
)
BEFORE = MoneyRules(
    table="collections_paymentlink",
    label="collections: payment link",
    start=("created",),
    moves=LINK_MOVES,
    fixed=("amount",),
)
RULES = (
    MoneyRules(
        table="collections_paymentlink",
        label="collections: payment link",
        start=("created",),
        moves=LINK_MOVES,
        fixed=("amount",),
        never_down=("amount_paid",),
    ),
)

FORWARDS, BACKWARDS = replace(BEFORE, RULES[0], app="collections", migration="collections migration 0013")


class Migration(migrations.Migration):
    dependencies = [("collections", "0012_payment_utr_index")]

    operations = [migrations.RunPython(FORWARDS, BACKWARDS)]
