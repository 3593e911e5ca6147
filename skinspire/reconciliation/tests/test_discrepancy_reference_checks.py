"""Discrepancies name a hospital, configuration and runs that exist, and none of those can be
deleted while a discrepancy names it: statement triggers on PostgreSQL (migration 0009), the
foreign keys on SQLite, which check at the commit (`check_constraints` checks them now). The
ORM's PROTECT refuses first, as before."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from skinspire.core.tests.factories import HospitalFactory
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.reconciliation.models import Discrepancy, ReconciliationRun
from skinspire.reconciliation.tests.admin_support import finished_run

pytestmark = pytest.mark.django_db

TABLE = Discrepancy._meta.db_table


# SQLite's tenancy triggers (migration 0010) run before its foreign keys are checked, and
# see a missing hospital or configuration as not the one the row's configuration or runs have.
SQLITE_TENANCY_FIRST = {
    "hospital_id": "names a configuration, which belongs to another hospital",
    "configuration_id": "names a run, which belongs to another configuration",
}


def _refused(message: str, *, column: str, inserted: bool = False):
    """PostgreSQL's trigger says `message`; SQLite's foreign-key check names the `column`."""
    if connection.vendor == "postgresql":
        expected = message
    elif inserted and column in SQLITE_TENANCY_FIRST:
        expected = SQLITE_TENANCY_FIRST[column]
    else:
        expected = f"{TABLE}.{column} contains a value"
    return pytest.raises(IntegrityError, match=expected)


def _checked() -> None:
    connection.check_constraints(table_names=[TABLE])  # SQLite's foreign keys wait for the commit


def _copy_of(discrepancy: Discrepancy, number: int, **changes) -> Discrepancy:
    discrepancy.pk, discrepancy.fingerprint = None, f"copy-{number}"
    for name, value in changes.items():
        setattr(discrepancy, name, value)
    return discrepancy


@pytest.mark.parametrize(
    ("field", "what"),
    [("hospital_id", "hospital"), ("configuration_id", "configuration"), ("first_run_id", "run"),
     ("last_run_id", "run")],
)  # fmt: skip
def test_one_discrepancy_naming_a_missing_row_refuses_its_statement(configuration, field, what):
    found = finished_run(configuration).discrepancies.get()
    batch = [_copy_of(Discrepancy.objects.get(pk=found.pk), number) for number in range(3)]
    setattr(batch[1], field, getattr(found, field) + 1000)

    with _refused(f"names a {what} that does not exist", column=field, inserted=True), transaction.atomic():
        Discrepancy.objects.bulk_create(batch)
        _checked()

    assert not Discrepancy.objects.filter(fingerprint__startswith="copy-").exists()


def test_discrepancies_naming_several_existing_runs_and_hospitals_are_stored(configuration):
    first = finished_run(configuration)
    found = first.discrepancies.get()
    later = finished_run(configuration)
    elsewhere = GatewayConfigurationFactory(hospital=HospitalFactory())  # each row in its own hospital
    their_run = ReconciliationRun.objects.create(
        hospital=elsewhere.hospital, configuration=elsewhere, run_date=found.run_date, trigger="manual"
    )
    batch = [
        _copy_of(Discrepancy.objects.get(pk=found.pk), 1, last_run_id=later.pk),
        _copy_of(
            Discrepancy.objects.get(pk=found.pk), 2, hospital_id=elsewhere.hospital_id,
            configuration_id=elsewhere.pk, first_run_id=their_run.pk, last_run_id=their_run.pk,
        ),
    ]  # fmt: skip

    Discrepancy.objects.bulk_create(batch)
    _checked()

    stored = Discrepancy.objects.filter(fingerprint__startswith="copy-").order_by("fingerprint")
    assert [(item.first_run_id, item.last_run_id, item.hospital_id) for item in stored] == [
        (first.pk, later.pk, found.hospital_id),
        (their_run.pk, their_run.pk, elsewhere.hospital_id),
    ]


def test_moving_a_discrepancy_to_a_missing_run_is_refused_and_other_changes_are_not(configuration):
    found = finished_run(configuration).discrepancies.get()

    with _refused("names a run that does not exist", column="last_run_id"), transaction.atomic():
        Discrepancy.objects.filter(pk=found.pk).update(last_run_id=found.last_run_id + 1000)
        _checked()
    Discrepancy.objects.filter(pk=found.pk).update(summary="checked again")
    _checked()

    assert Discrepancy.objects.values_list("last_run_id", "summary").get(pk=found.pk) == (
        found.last_run_id,
        "checked again",
    )


@pytest.mark.parametrize("field", ["first_run_id", "last_run_id"])
def test_a_run_a_discrepancy_names_cannot_be_deleted_behind_the_orms_back(configuration, field):
    found = finished_run(configuration).discrepancies.get()
    bare = ReconciliationRun.objects.create(  # no items, whose own trigger would refuse first
        hospital=configuration.hospital,
        configuration=configuration,
        run_date=found.run_date,
        trigger="manual",
    )
    Discrepancy.objects.filter(pk=found.pk).update(**{field: bare.pk})

    with (
        _refused("a run that discrepancies name cannot be deleted", column=field),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM reconciliation_reconciliationrun WHERE id = %s", [bare.pk])
        _checked()

    assert ReconciliationRun.objects.filter(pk=bare.pk).exists()


def test_a_configuration_or_hospital_a_discrepancy_names_cannot_be_deleted_behind_the_orms_back(
    configuration,
):
    found = finished_run(configuration).discrepancies.get()

    # The configuration's own foreign key to the hospital waits for the commit: the
    # discrepancies' trigger (PostgreSQL) or the check below (SQLite) refuses first.
    for table, pk, what in [
        ("gateways_gatewayconfiguration", configuration.pk, "configuration"),
        ("core_hospital", configuration.hospital_id, "hospital"),
    ]:
        with (
            _refused(f"a {what} that discrepancies name cannot be deleted", column=f"{what}_id"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [pk])
            _checked()

    assert Discrepancy.objects.values_list("configuration_id", "hospital_id").get(pk=found.pk) == (
        configuration.pk,
        configuration.hospital_id,
    )


def test_the_orm_still_protects_what_a_discrepancy_names(configuration):
    run = finished_run(configuration)

    with pytest.raises(ProtectedError), transaction.atomic():
        run.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        configuration.delete()

    assert run.discrepancies.count() == 1


def test_a_run_no_discrepancy_names_any_more_can_be_deleted_in_sql(configuration):
    found = finished_run(configuration).discrepancies.get()
    bare = ReconciliationRun.objects.create(
        hospital=configuration.hospital,
        configuration=configuration,
        run_date=found.run_date,
        trigger="manual",
    )

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM reconciliation_reconciliationrun WHERE id = %s", [bare.pk])
    _checked()

    assert not ReconciliationRun.objects.filter(pk=bare.pk).exists()
