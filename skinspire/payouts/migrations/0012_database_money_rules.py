"""The life of the payout money rows, enforced by the database and not only by the services.

A supplier payment and a payout batch are inserted in their first status only (draft, and
pending approval: every service creates them so, a manual payment too, which is completed by
moves afterwards), change status only along their status table, and are never deleted. A
payment's amount and fee preview never change; its fee and tax do, while the gateway still
reports on the payout (services/outcomes.py), and are left free. A payout link is a supplier
payment (method payout_link) and has no table of its own.

The moves are the models' `state_machine` tables as they were when this migration was
written, carried here as literals: a migration must not change with the live models.
payouts/tests/test_database_money_rules.py fails when a table and these literals differ, so
a changed table comes with a new migration. SQL built by skinspire.core.database_money_rules.
"""

from django.db import migrations

from skinspire.core.database_money_rules import MoneyRules, install

RULES = (
    MoneyRules(
        table="payouts_supplierpayment",
        label="payouts: supplier payment",
        start=("draft",),
        moves=(
            ("approved", "cancelled"),
            ("approved", "completed"),
            ("approved", "submitted"),
            ("completed", "reversed"),
            ("draft", "approved"),
            ("draft", "cancelled"),
            ("draft", "pending_approval"),
            ("pending_approval", "approved"),
            ("pending_approval", "cancelled"),
            ("pending_approval", "rejected"),
            ("processing", "cancelled"),
            ("processing", "completed"),
            ("processing", "expired"),
            ("processing", "failed"),
            ("submitted", "cancelled"),
            ("submitted", "completed"),
            ("submitted", "expired"),
            ("submitted", "failed"),
            ("submitted", "processing"),
            ("submitted", "unknown"),
            ("unknown", "cancelled"),
            ("unknown", "completed"),
            ("unknown", "expired"),
            ("unknown", "failed"),
            ("unknown", "processing"),
        ),
        fixed=("amount", "fee_preview"),
    ),
    MoneyRules(
        table="payouts_payoutbatch",
        label="payouts: payout batch",
        start=("pending_approval",),
        moves=(
            ("pending_approval", "approved"),
            ("pending_approval", "cancelled"),
            ("pending_approval", "rejected"),
        ),
    ),
)

FORWARDS, BACKWARDS = install(RULES, app="payouts", migration="payouts migration 0012")


class Migration(migrations.Migration):
    dependencies = [("payouts", "0011_database_tenancy")]

    operations = [migrations.RunPython(FORWARDS, BACKWARDS)]
