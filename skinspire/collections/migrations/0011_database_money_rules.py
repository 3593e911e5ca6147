"""The life of the collection money rows, enforced by the database and not only by the services.

A patient payment, a refund and a payment link are inserted in their first status only
(pending, pending, created: every service creates them so, a counter payment too, which is
captured by a move afterwards), change status only along their status table, and are never
deleted. Their amounts never change. A payment's fee and tax are written once, when it is
captured (services/payments.py), and never after; its refunded amount only grows. A link's
paid amount is the gateway's latest word, written as reported (services/links.py), and left
free.

The moves are the models' `state_machine` tables as they were when this migration was
written, carried here as literals: a migration must not change with the live models.
collections/tests/test_database_money_rules.py fails when a table and these literals
differ, so a changed table comes with a new migration. SQL built by
skinspire.core.database_money_rules.
"""

from django.db import migrations

from skinspire.core.database_money_rules import MoneyRules, install

RULES = (
    MoneyRules(
        table="collections_paymentlink",
        label="collections: payment link",
        start=("created",),
        moves=(
            ("created", "cancelled"),
            ("created", "expired"),
            ("created", "paid"),
            ("created", "partially_paid"),
            ("partially_paid", "cancelled"),
            ("partially_paid", "expired"),
            ("partially_paid", "paid"),
        ),
        fixed=("amount",),
    ),
    MoneyRules(
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
    ),
    MoneyRules(
        table="collections_patientrefund",
        label="collections: patient refund",
        start=("pending",),
        moves=(("pending", "failed"), ("pending", "processed")),
        fixed=("amount",),
    ),
)

FORWARDS, BACKWARDS = install(RULES, app="collections", migration="collections migration 0011")


class Migration(migrations.Migration):
    dependencies = [("collections", "0010_database_tenancy")]

    operations = [migrations.RunPython(FORWARDS, BACKWARDS)]
