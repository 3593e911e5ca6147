"""Two runs of one configuration started at once (Start pressed twice, the schedule beside an
accountant), on PostgreSQL with real threads and connections: the second waits for the first,
then reconciles what the first left and supersedes it. One completed run for the date, each
discrepancy once, neither run failed."""

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction

from skinspire.core.locks import lock_name
from skinspire.core.tests.test_transition_concurrency import backends_waiting_on_a_lock
from skinspire.reconciliation.models import Discrepancy, ReconciliationRun
from skinspire.reconciliation.services.runs import reconciliation_run_start

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

DAY = date(2026, 4, 20)


def test_two_runs_of_one_date_started_together_end_as_one(postgres_only, configuration, our_payment):
    for gateway_id in ("pay_A", "pay_B"):  # both unsettled past the cycle: two discrepancies
        our_payment(gateway_id=gateway_id, amount=Decimal("10.00"), paid_on=DAY - timedelta(days=4))
    runs: dict[str, int] = {}
    holding, waiting = threading.Event(), {}

    def hold_the_configuration():
        """Holds the runs' lock until both are seen waiting on it, so they start together."""
        try:
            with transaction.atomic():
                lock_name(f"skinspire.reconciliation:{configuration.pk}")
                holding.set()
                waiting["runs"] = backends_waiting_on_a_lock(2)
        finally:
            connection.close()

    def start(name: str):
        holding.wait(20)
        try:
            run = reconciliation_run_start(
                configuration=configuration, run_date=DAY, trigger="manual", gateway_rows=[]
            )
            runs[name] = run.pk
        finally:
            connection.close()

    threads = [threading.Thread(target=hold_the_configuration)]
    threads += [threading.Thread(target=start, args=(name,)) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert waiting["runs"] == 2
    statuses = sorted(ReconciliationRun.objects.filter(pk__in=runs.values()).values_list("status", flat=True))
    assert statuses == ["completed", "superseded"]
    assert sorted(Discrepancy.objects.values_list("category", "status")) == [
        ("missing_at_gateway", "open"),
        ("missing_at_gateway", "open"),
    ]
    completed = ReconciliationRun.objects.get(status="completed")
    assert set(Discrepancy.objects.values_list("last_run", flat=True)) == {completed.pk}
