"""A run being stored and its configuration moved to another hospital at the same moment, on
PostgreSQL with real threads and connections: the move waits for the run's transaction (the
run's check holds the configuration FOR KEY SHARE, the move takes it FOR UPDATE), then sees
the run and is refused; the run stays in its configuration's hospital (migration 0010)."""

import threading
import time
from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from skinspire.core.tests.factories import HospitalFactory
from skinspire.core.tests.test_transition_concurrency import other_backends_waiting_on_a_lock
from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.reconciliation.models import ReconciliationRun

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_moving_a_configuration_waits_for_a_run_being_stored_and_is_refused(postgres_only, hospital):
    configuration = GatewayConfigurationFactory(hospital=hospital)
    other = HospitalFactory()
    run_stored, results, blocked = threading.Event(), {}, {}

    def store_run():
        try:
            with transaction.atomic():
                ReconciliationRun.objects.create(
                    hospital=hospital,
                    configuration=configuration,
                    run_date=date(2026, 4, 20),
                    trigger="manual",
                )
                run_stored.set()  # uncommitted until the move is waiting on it
                deadline = time.monotonic() + 20
                while not other_backends_waiting_on_a_lock() and time.monotonic() < deadline:
                    time.sleep(0.02)
                blocked["move"] = other_backends_waiting_on_a_lock()
            results["run"] = "stored"
        finally:
            connection.close()

    def move():
        run_stored.wait(20)
        try:
            with transaction.atomic():
                GatewayConfiguration.objects.filter(pk=configuration.pk).update(hospital=other)
            results["move"] = "moved"
        except IntegrityError as error:
            results["move"] = str(error).splitlines()[0]
        finally:
            connection.close()

    threads = [threading.Thread(target=store_run), threading.Thread(target=move)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert blocked["move"] == 1
    assert results == {
        "run": "stored",
        "move": f"reconciliation: configuration #{configuration.pk} has reconciliation runs, "
        "so its hospital never changes",
    }
    assert GatewayConfiguration.objects.values_list("hospital_id", flat=True).get(pk=configuration.pk) == (
        hospital.pk
    )
    assert list(ReconciliationRun.objects.values_list("hospital_id", flat=True)) == [hospital.pk]
