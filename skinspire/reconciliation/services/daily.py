"""The scheduled daily reconciliation: yesterday, every active configuration, once."""

from datetime import date, timedelta

from django.utils import timezone

from skinspire.gateways.models import GatewayConfiguration
from skinspire.reconciliation.models import ReconciliationRun
from skinspire.reconciliation.services.runs import ScheduledRunExistsError, reconciliation_run_start


def reconciliation_daily_configurations(*, on: date | None = None) -> tuple[list[int], date]:
    """The configurations to reconcile and the date: `on`, else yesterday in India time."""
    run_date = on or timezone.localdate() - timedelta(days=1)
    ids = GatewayConfiguration.objects.active().order_by("pk").values_list("pk", flat=True)
    return list(ids), run_date


def reconciliation_scheduled_run(*, configuration_id: int, run_date: date) -> ReconciliationRun | None:
    """Idempotent: a date the schedule already reconciled, or is reconciling, is not run again
    (a person may). The check here spares a fetch; the database's "scheduled once" rule
    settles two deliveries of the task that pass it together."""
    already = ReconciliationRun.objects.filter(
        configuration_id=configuration_id,
        run_date=run_date,
        trigger=ReconciliationRun.Trigger.SCHEDULE,
        status__in=["running", "completed", "superseded"],
    ).exists()
    configuration = (
        GatewayConfiguration.objects.without_secrets().active().filter(pk=configuration_id).first()
    )
    if already or configuration is None:
        return None
    try:
        return reconciliation_run_start(
            configuration=configuration, run_date=run_date, trigger=ReconciliationRun.Trigger.SCHEDULE
        )
    except ScheduledRunExistsError:
        return None
