"""`reconciliation_run_start`: one settlement date of one configuration, reconciled and stored.

Record first, then call out: the run row is committed (running) before the gateway is asked
for its settlement lines; a gateway failure ends the run as failed with the gateway's
message. Our rows are those dated within the settlement cycle and the date window before the
date, less any already paired by a completed run of another date.
"""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from skinspire.core.transitions import transition
from skinspire.gateways.errors import GatewayError
from skinspire.reconciliation import selectors
from skinspire.reconciliation.engine import GatewayRow, MatchingRules, SystemRow, reconcile
from skinspire.reconciliation.inputs.fetch import settlement_rows_fetch
from skinspire.reconciliation.models import ReconciliationItem, ReconciliationRun
from skinspire.reconciliation.services.discrepancies import discrepancies_sync
from skinspire.reconciliation.services.postings import settlements_post
from skinspire.reconciliation.services.results import run_results_store
from skinspire.reconciliation.system_sources import system_rows_collect

PAIRED_CATEGORIES = ["matched", "amount_mismatch", "fee_mismatch", "status_mismatch"]


def reconciliation_run_start(
    *,
    configuration,
    run_date: date,
    trigger: str,
    actor=None,
    gateway_rows: list[GatewayRow] | None = None,
    report_file_name: str = "",
) -> ReconciliationRun:
    """Reconcile `run_date`: the gateway's lines (fetched unless given, e.g. from an uploaded
    report) against our rows. Returns the run, completed or failed."""
    rules = selectors.matching_rules_for(configuration)
    run = ReconciliationRun.objects.create(
        hospital_id=configuration.hospital_id,
        configuration=configuration,
        run_date=run_date,
        trigger=trigger,
        started_by=actor,
        report_file_name=report_file_name,
        rules=selectors.rules_as_json(rules),
    )
    try:
        if gateway_rows is None:
            gateway_rows = settlement_rows_fetch(configuration=configuration, on=run_date)
    except GatewayError as error:
        return _fail(run, actor=actor, message=str(error))
    system_rows = _system_rows(configuration=configuration, run_date=run_date, rules=rules)
    result = reconcile(gateway_rows=gateway_rows, system_rows=system_rows, as_of=run_date, rules=rules)
    with transaction.atomic():
        run_results_store(run=run, result=result, gateway_rows=gateway_rows, system_rows=system_rows)
        discrepancies_sync(run=run, result=result)
        run.error_message = "\n".join(settlements_post(run=run, gateway_rows=gateway_rows))
        _supersede_earlier_runs(run)
        _finish(
            run,
            to="completed",
            actor=actor,
            reason=f"{run.matched_count} matched, {run.discrepancy_count} discrepancies",
        )
    return run


def _system_rows(*, configuration, run_date: date, rules: MatchingRules) -> list[SystemRow]:
    start = run_date - timedelta(days=rules.settlement_cycle_days + rules.date_window_days + 1)
    rows = system_rows_collect(configuration=configuration, start=start, end=run_date)
    # A row dated `start` or later can only have been settled by a run of `start` or later:
    # a date range, not a list of a million keys.
    paired_elsewhere = set(
        ReconciliationItem.objects.filter(
            run__configuration=configuration,
            run__status="completed",
            run__run_date__gte=start,
            side=ReconciliationItem.Side.SYSTEM,
            category__in=PAIRED_CATEGORIES,
        )
        .exclude(run__run_date=run_date)
        .values_list("key", flat=True)
    )
    return [row for row in rows if row.key not in paired_elsewhere]


def _supersede_earlier_runs(run: ReconciliationRun) -> None:
    earlier = ReconciliationRun.objects.filter(
        configuration=run.configuration, run_date=run.run_date, status="completed"
    ).exclude(pk=run.pk)
    for previous in earlier:
        transition(
            instance=previous,
            to="superseded",
            reason=f"the date was reconciled again (run #{run.pk})",
            event_reference=f"reconciliation:run:{run.pk}",
        )


def _finish(run: ReconciliationRun, *, to: str, actor, reason: str) -> None:
    transition(
        instance=run, to=to, reason=reason, actor=actor, event_reference=f"reconciliation:run:{run.pk}"
    )
    run.finished_at = timezone.now()
    run.save(update_fields=["finished_at", "error_message"])


def _fail(run: ReconciliationRun, *, actor, message: str) -> ReconciliationRun:
    run.error_message = message
    _finish(run, to="failed", actor=actor, reason=message)
    return run
