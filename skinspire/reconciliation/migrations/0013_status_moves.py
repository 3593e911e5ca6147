"""A reconciliation run's and a discrepancy's status moves only along its table, enforced by
the database and not only by skinspire.core.transitions.

Only the moves: a row may be inserted in any of its statuses (runs are inserted running and
discrepancies open, but a discrepancy's COPY is the run's hot path and a row-level INSERT
trigger would stop PostgreSQL batching it), and deletes stay the application's business.
The moves are the models' `state_machine` tables as they were when this migration was
written, carried as literals; reconciliation/tests/test_status_moves.py fails when a table
and these literals differ. SQL built by skinspire.core.database_money_rules.
"""

from django.db import migrations

from skinspire.core.database_money_rules import install, status_rules

RULES = (
    status_rules(
        "reconciliation_reconciliationrun",
        "reconciliation: run",
        states=("running", "completed", "failed", "superseded"),
        moves=(("completed", "superseded"), ("running", "completed"), ("running", "failed")),
    ),
    status_rules(
        "reconciliation_discrepancy",
        "reconciliation: discrepancy",
        states=("open", "resolved", "superseded"),
        moves=(("open", "resolved"), ("open", "superseded")),
    ),
)

FORWARDS, BACKWARDS = install(RULES, app="reconciliation", migration="reconciliation migration 0013")


class Migration(migrations.Migration):
    dependencies = [("reconciliation", "0012_payment_linked_once")]

    operations = [migrations.RunPython(FORWARDS, BACKWARDS)]
