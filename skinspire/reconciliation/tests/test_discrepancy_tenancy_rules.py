"""A discrepancy belongs to its configuration's hospital and names runs of its configuration;
its hospital and configuration never change. The database refuses the rest (migration 0010:
the statement triggers of 0009 on PostgreSQL, whether the statement names one configuration,
as a run's COPY does, or several; row triggers on SQLite), whatever Python sends it."""

import re
from datetime import date
from decimal import Decimal

import psycopg
import pytest
from django.db import IntegrityError, connection, transaction

from skinspire.core.tests.factories import HospitalFactory
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.reconciliation.engine import Category, MatchingRules, Outcome, Pass, reconcile
from skinspire.reconciliation.models import Discrepancy, ReconciliationRun
from skinspire.reconciliation.services.discrepancies import discrepancies_sync
from skinspire.reconciliation.tests.admin_support import finished_run

pytestmark = pytest.mark.django_db

DAY = date(2026, 4, 20)


def refused(*, postgresql: str, sqlite: str):
    message = postgresql if connection.vendor == "postgresql" else sqlite
    # psycopg's own error out of a COPY, which does not go through Django's cursor wrapper.
    return pytest.raises(
        (IntegrityError, psycopg.IntegrityError), match=re.escape(f"reconciliation: {message}")
    )


def another_hospitals(configuration):
    return refused(
        postgresql=f"a discrepancy names configuration #{configuration.pk}, which belongs to another hospital",
        sqlite="a discrepancy names a configuration, which belongs to another hospital",
    )


def another_configurations(run):
    return refused(
        postgresql=f"a discrepancy names run #{run.pk}, which belongs to another configuration",
        sqlite="a discrepancy names a run, which belongs to another configuration",
    )


def bare_run(configuration) -> ReconciliationRun:
    return ReconciliationRun.objects.create(
        hospital=configuration.hospital, configuration=configuration, run_date=DAY, trigger="manual"
    )


def copies(found: Discrepancy, *changes: dict) -> list[Discrepancy]:
    """One copy of `found` per `changes` (field: value), each with a fingerprint of its own."""
    batch = []
    for number, fields in enumerate(changes):
        copy = Discrepancy.objects.get(pk=found.pk)
        copy.pk, copy.fingerprint = None, f"copy-{number}"
        for name, value in fields.items():
            setattr(copy, name, value)
        batch.append(copy)
    return batch


@pytest.fixture
def found(configuration) -> Discrepancy:
    return finished_run(configuration).discrepancies.get()


@pytest.fixture
def elsewhere():
    """Another hospital's configuration, with a run."""
    configuration = GatewayConfigurationFactory(hospital=HospitalFactory())
    return bare_run(configuration)


def test_a_discrepancy_in_another_hospital_than_its_configuration_is_refused(configuration, found):
    batch = copies(found, {}, {"hospital_id": HospitalFactory().pk}, {})

    with another_hospitals(configuration), transaction.atomic():
        Discrepancy.objects.bulk_create(batch)

    assert not Discrepancy.objects.filter(fingerprint__startswith="copy-").exists()


def test_the_same_is_refused_in_a_statement_naming_several_configurations(configuration, found, elsewhere):
    theirs = {"hospital_id": elsewhere.hospital_id, "configuration_id": elsewhere.configuration_id,
              "first_run_id": elsewhere.pk, "last_run_id": elsewhere.pk}  # fmt: skip
    batch = copies(found, {}, theirs, {**theirs, "hospital_id": found.hospital_id})

    with another_hospitals(elsewhere.configuration), transaction.atomic():
        Discrepancy.objects.bulk_create(batch)

    assert not Discrepancy.objects.filter(fingerprint__startswith="copy-").exists()


@pytest.mark.parametrize("field", ["first_run_id", "last_run_id"])
def test_a_discrepancy_naming_a_run_of_another_configuration_is_refused(configuration, found, field):
    sibling = bare_run(GatewayConfigurationFactory(hospital=configuration.hospital))  # same hospital
    batch = copies(found, {}, {field: sibling.pk})

    with another_configurations(sibling), transaction.atomic():
        Discrepancy.objects.bulk_create(batch)

    assert not Discrepancy.objects.filter(fingerprint__startswith="copy-").exists()


def test_a_run_of_another_configuration_is_refused_among_several_configurations(found, elsewhere):
    theirs = {"hospital_id": elsewhere.hospital_id, "configuration_id": elsewhere.configuration_id,
              "first_run_id": elsewhere.pk, "last_run_id": elsewhere.pk}  # fmt: skip
    batch = copies(found, theirs, {"last_run_id": elsewhere.pk})

    with another_configurations(elsewhere), transaction.atomic():
        Discrepancy.objects.bulk_create(batch)

    assert not Discrepancy.objects.filter(fingerprint__startswith="copy-").exists()


def test_a_runs_store_of_discrepancies_given_another_hospital_is_refused(configuration):
    """The run's own path (a COPY on PostgreSQL, bulk_create on SQLite), handed a run whose
    hospital Python got wrong: the database refuses the whole store."""
    run = bare_run(configuration)
    run.hospital_id = HospitalFactory().pk  # in memory only: the stored run is right
    found = {
        f"fingerprint-{number}": Outcome(
            Category.MISSING_IN_SYSTEM, (f"setl_1/pay_{number}",), (), Pass.NONE, "not ours", Decimal("1.000"),
            Decimal("10.00"),
        )
        for number in range(3)
    }  # fmt: skip
    empty = reconcile(gateway_rows=[], system_rows=[], as_of=DAY, rules=MatchingRules())

    with another_hospitals(configuration), transaction.atomic():
        discrepancies_sync(run=run, result=empty, found=found)

    assert not Discrepancy.objects.exists()


@pytest.mark.parametrize("field", ["hospital", "configuration"])
def test_a_discrepancys_hospital_or_configuration_never_changes(configuration, found, field):
    # Another configuration of the same hospital, or another hospital: each alone is refused.
    sibling = GatewayConfigurationFactory(hospital=configuration.hospital)
    value = {"hospital": HospitalFactory(), "configuration": sibling}[field]

    with (
        refused(
            postgresql=f"discrepancy #{found.pk} refused: its hospital and configuration never change",
            sqlite="a discrepancy's hospital and configuration never change",
        ),
        transaction.atomic(),
    ):
        Discrepancy.objects.filter(pk=found.pk).update(**{field: value})

    assert Discrepancy.objects.values_list("hospital_id", "configuration_id").get(pk=found.pk) == (
        configuration.hospital_id,
        configuration.pk,
    )


@pytest.mark.parametrize("field", ["first_run", "last_run"])
def test_moving_a_discrepancy_to_a_run_of_another_configuration_is_refused(configuration, found, field):
    sibling = bare_run(GatewayConfigurationFactory(hospital=configuration.hospital))

    with another_configurations(sibling), transaction.atomic():
        Discrepancy.objects.filter(pk=found.pk).update(**{field: sibling})

    assert Discrepancy.objects.values_list(f"{field}_id", flat=True).get(pk=found.pk) == getattr(
        found, f"{field}_id"
    )


def test_moving_discrepancies_of_several_configurations_checks_each(configuration, found, elsewhere):
    (theirs,) = Discrepancy.objects.bulk_create(
        copies(found, {"hospital_id": elsewhere.hospital_id, "configuration_id": elsewhere.configuration_id,
                       "first_run_id": elsewhere.pk, "last_run_id": elsewhere.pk})
    )  # fmt: skip
    later = bare_run(configuration)

    with another_configurations(later), transaction.atomic():
        Discrepancy.objects.filter(pk__in=[found.pk, theirs.pk]).update(last_run=later)

    assert Discrepancy.objects.values_list("last_run_id", flat=True).get(pk=theirs.pk) == elsewhere.pk


def test_a_later_run_of_the_same_configuration_takes_its_discrepancies_over(configuration, found):
    later = finished_run(configuration)  # the same day again: finds the same discrepancy

    assert Discrepancy.objects.values_list("first_run_id", "last_run_id", "status").get(pk=found.pk) == (
        found.first_run_id,
        later.pk,
        "open",
    )
    assert later.pk != found.first_run_id
