"""A run's and a discrepancy's status moves only along its table, in the database however
it is written (migration 0013; PostgreSQL and SQLite)."""

import importlib

import pytest
from django.db import IntegrityError, connection, models, transaction

from skinspire.core.database_money_rules import moves_of
from skinspire.reconciliation.models import Discrepancy, ReconciliationRun
from skinspire.reconciliation.tests.admin_support import finished_run

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("skinspire.reconciliation.migrations.0013_status_moves")
MODELS: dict[str, type[models.Model]] = {
    model._meta.db_table: model for model in (ReconciliationRun, Discrepancy)
}
LABELS: dict[type[models.Model], str] = {ReconciliationRun: "run", Discrepancy: "discrepancy"}


def refused(model: type[models.Model]):
    return pytest.raises(
        IntegrityError,
        match=rf"reconciliation: {LABELS[model]} (#\d+ )?refused: its status cannot make that move",
    )


def raw(sql: str, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def status_of(row: models.Model) -> str:
    return type(row)._default_manager.filter(pk=row.pk).values_list("status", flat=True).get()


def test_the_migration_carries_each_models_current_status_table():
    """Fails when a status table changed without a migration installing its new moves."""
    assert set(MODELS) == {rules.table for rules in MIGRATION.RULES}
    for rules in MIGRATION.RULES:
        model = MODELS[rules.table]
        assert rules.moves == moves_of(model.state_machine), f"{model._meta.label}: add a migration"
        assert rules.states == tuple(model.state_machine.states), f"{model._meta.label}: add a migration"


@pytest.mark.parametrize(("model", "illegal", "allowed"), [(ReconciliationRun, "running", "superseded"),
                                                            (Discrepancy, "lost", "resolved")])  # fmt: skip
def test_an_allowed_move_passes_and_any_other_is_refused(configuration, model, illegal, allowed):
    run = finished_run(configuration)
    row = run if model is ReconciliationRun else run.discrepancies.get()
    before = status_of(row)

    with refused(model), transaction.atomic():
        model._default_manager.filter(pk=row.pk).update(status=illegal)
    with refused(model):
        raw(f"UPDATE {model._meta.db_table} SET status = %s WHERE id = %s", [illegal, row.pk])
    assert status_of(row) == before

    model._default_manager.filter(pk=row.pk).update(status=allowed)
    assert status_of(row) == allowed


def test_a_final_status_is_never_left(configuration):
    run = finished_run(configuration)
    discrepancy = run.discrepancies.get()
    Discrepancy.objects.filter(pk=discrepancy.pk).update(status="superseded")

    with refused(Discrepancy):
        raw("UPDATE reconciliation_discrepancy SET status = 'open' WHERE id = %s", [discrepancy.pk])
    with refused(Discrepancy), transaction.atomic():
        Discrepancy.objects.filter(pk=discrepancy.pk).update(status="resolved")


def test_other_columns_and_any_first_status_pass(configuration):
    run = finished_run(configuration)
    ReconciliationRun.objects.filter(pk=run.pk).update(error_message="Noted", status="completed")

    copy = ReconciliationRun.objects.get(pk=run.pk)
    copy.pk, copy.status = None, "failed"
    copy.save()
    assert status_of(copy) == "failed"
