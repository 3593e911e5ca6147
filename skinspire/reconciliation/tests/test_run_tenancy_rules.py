"""A run belongs to its configuration's hospital, and keeps its hospital and configuration: the
database refuses the rest (migration 0010), whatever Python sends it, on PostgreSQL and SQLite.
A configuration that has runs keeps its hospital too."""

import re
from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from skinspire.core.tests.factories import HospitalFactory
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.reconciliation.models import ReconciliationRun
from skinspire.reconciliation.tests.admin_support import finished_run

pytestmark = pytest.mark.django_db

DAY = date(2026, 4, 20)


def refused(*, postgresql: str, sqlite: str):
    message = postgresql if connection.vendor == "postgresql" else sqlite
    return pytest.raises(IntegrityError, match=re.escape(f"reconciliation: {message}"))


def test_a_run_of_another_hospitals_configuration_is_refused(configuration):
    other = HospitalFactory()

    with (
        refused(
            postgresql=f"a run names configuration #{configuration.pk}, which belongs to another hospital",
            sqlite="a run names a configuration, which belongs to another hospital",
        ),
        transaction.atomic(),
    ):
        ReconciliationRun.objects.create(
            hospital=other, configuration=configuration, run_date=DAY, trigger="manual"
        )

    assert not ReconciliationRun.objects.exists()


def test_a_run_started_by_the_service_is_stored_in_its_configurations_hospital(configuration):
    run = finished_run(configuration)

    assert (run.status, run.hospital_id, run.discrepancies.count()) == (
        "completed",
        configuration.hospital_id,
        1,
    )


@pytest.mark.parametrize("field", ["hospital", "configuration"])
def test_a_runs_hospital_or_configuration_never_changes(configuration, field):
    run = finished_run(configuration)
    elsewhere = GatewayConfigurationFactory(hospital=HospitalFactory())
    value = {"hospital": elsewhere.hospital, "configuration": elsewhere}[field]

    with (
        refused(
            postgresql=f"run #{run.pk} refused: its id, hospital and configuration never change",
            sqlite="a run's id, hospital and configuration never change",
        ),
        transaction.atomic(),
    ):
        ReconciliationRun.objects.filter(pk=run.pk).update(**{field: value})

    assert ReconciliationRun.objects.values_list("hospital_id", "configuration_id").get(pk=run.pk) == (
        configuration.hospital_id,
        configuration.pk,
    )


def test_a_runs_other_fields_still_change(configuration):
    run = finished_run(configuration)

    ReconciliationRun.objects.filter(pk=run.pk).update(
        hospital=configuration.hospital, configuration=configuration, error_message="noted"
    )

    assert ReconciliationRun.objects.values_list("error_message", flat=True).get(pk=run.pk) == "noted"
