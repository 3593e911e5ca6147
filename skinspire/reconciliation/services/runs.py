"""`reconciliation_run_start`: one settlement date of one configuration, reconciled and stored.

Record first, then call out: the run row is committed (running) before the gateway is asked
for its settlement lines; a gateway failure ends the run as failed with the gateway's
message. Our rows are those dated within the settlement cycle and the date window before the
date, less any already paired by a completed run of another date.

Supplier payouts are reconciled against the payouts account's statement
(`fetch_payout_lines`), fetched with the settlement lines; when it cannot be read (an
uploaded report, a configuration without payouts, a gateway without a statement API) our
payouts are left out of the run instead of being called missing.
"""

import logging
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from skinspire.core.locks import lock_name
from skinspire.core.text import counted
from skinspire.core.transitions import transition
from skinspire.gateways.errors import GatewayError
from skinspire.reconciliation import selectors
from skinspire.reconciliation.engine import GatewayRow, Kind, MatchingRules, SystemRow, reconcile
from skinspire.reconciliation.engine.memory import cyclic_gc_paused
from skinspire.reconciliation.inputs.fetch import payout_rows_fetch, settlement_rows_fetch
from skinspire.reconciliation.models import ReconciliationItem, ReconciliationRun
from skinspire.reconciliation.services.discrepancies import discrepancies_found, discrepancies_sync
from skinspire.reconciliation.services.postings import settlements_post
from skinspire.reconciliation.services.results import items_finish, items_stored, run_counts, run_counts_store
from skinspire.reconciliation.services.settled_fees import settled_fees_record
from skinspire.reconciliation.system_sources import system_rows_collect

PAIRED_CATEGORIES = ["matched", "amount_mismatch", "fee_mismatch", "status_mismatch"]
# A run whose process ended before finishing it (a worker killed for memory, a restart) is
# left "running". Past this age it cannot still be working (a million payments take under a
# minute on two cores, docs/reconciliation.md), so the sweep marks it failed.
RUN_ABANDONED_AFTER = timedelta(hours=1)
PAYOUT_KINDS = frozenset({Kind.PAYOUT, Kind.PAYOUT_REVERSAL})
logger = logging.getLogger(__name__)


class ScheduledRunExistsError(Exception):
    """The schedule's run of this date is already running or done (models: scheduled once)."""


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
    report) against our rows. Returns the run, completed or failed. Raises
    ScheduledRunExistsError for a scheduled run of a date the schedule has running or done."""
    rules = selectors.matching_rules_for(configuration)
    try:
        with transaction.atomic():
            run = ReconciliationRun.objects.create(
                hospital_id=configuration.hospital_id,
                configuration=configuration,
                run_date=run_date,
                trigger=trigger,
                started_by=actor,
                report_file_name=report_file_name,
                rules=selectors.rules_as_json(rules),
            )
    except IntegrityError as error:
        if trigger != ReconciliationRun.Trigger.SCHEDULE:
            raise
        raise ScheduledRunExistsError(
            f"{configuration} {run_date}: the schedule's run of this date is running or done"
        ) from error
    try:
        if gateway_rows is None:
            gateway_rows = settlement_rows_fetch(configuration=configuration, on=run_date)
            payout_rows = payout_rows_fetch(configuration=configuration, on=run_date)
            gateway_rows += payout_rows or []
            left_out = "" if payout_rows is not None else "the gateway offers no payout statement"
        elif any(row.kind in PAYOUT_KINDS for row in gateway_rows):
            left_out = ""
        else:
            left_out = "a settlement report holds no payouts (a fetched run reads the payout statement)"
    except GatewayError as error:
        return _fail(run, actor=actor, message=str(error))
    try:
        _match_and_store(run, rules=rules, gateway_rows=gateway_rows, payouts_left_out_because=left_out)
    # Anything at all that breaks between the fetch and the commit (a database error while
    # storing two million items, a bug) must not leave the run "running" for ever: its
    # transaction is rolled back, and the failure is written in a transaction of its own.
    except Exception as error:
        logger.exception("reconciliation run #%s failed while storing its results", run.pk)
        run.refresh_from_db()
        return _fail(run, actor=actor, message=f"The run failed while storing its results: {error!r}")
    return run


def _match_and_store(
    run: ReconciliationRun,
    *,
    rules: MatchingRules,
    gateway_rows: list[GatewayRow],
    payouts_left_out_because: str,
) -> None:
    """`payouts_left_out_because`: why our payouts cannot be reconciled in this run ("" when
    they can); they are then left out, not called missing, and the run says how many."""
    with transaction.atomic():
        # One run of a configuration at a time (Start pressed twice, the schedule beside an
        # accountant): the second waits here, then reads what the first stored (its pairs,
        # its discrepancies) and supersedes it if the date is the same. Unlocked, both would
        # complete for one date, and both would write the discrepancies they found.
        lock_name(f"skinspire.reconciliation:{run.configuration_id}")
        system_rows = _system_rows(configuration=run.configuration, run_date=run.run_date, rules=rules)
        notes = []
        if payouts_left_out_because:
            payouts = sum(1 for row in system_rows if row.kind == Kind.PAYOUT)
            system_rows = [row for row in system_rows if row.kind not in PAYOUT_KINDS]
            if payouts:
                notes.append(
                    f"{counted(payouts, 'payout')} of ours not reconciled: {payouts_left_out_because}"
                )
        gateway = {row.key: row for row in gateway_rows}
        system = {row.key: row for row in system_rows}
        # The items are stored while the engine works (results.items_stored): PostgreSQL takes
        # the bulk of them during the matching, not after it. Any failure, in the engine or
        # in storing, leaves the block and rolls the whole run back.
        with cyclic_gc_paused(), items_stored(run=run, gateway=gateway, system=system) as items:
            result = reconcile(
                gateway_rows=gateway_rows,
                system_rows=system_rows,
                as_of=run.run_date,
                rules=rules,
                on_final=items.add,
            )
            # What needs no database is worked out while PostgreSQL stores the last items.
            counts = run_counts(result=result, gateway_rows=len(gateway), system_rows=len(system))
            found = discrepancies_found(result)
            items_finish(items)
        run_counts_store(run=run, counts=counts)
        discrepancies_sync(run=run, result=result, found=found)
        notes += settlements_post(run=run, gateway_rows=gateway_rows)
        # Last before the run's own history: its audit entries hold their chain's lock until commit.
        settled_fees_record(run=run, result=result, gateway=gateway, system=system)
        run.error_message = "\n".join(notes)
        _supersede_earlier_runs(run)
        _finish(
            run,
            to="completed",
            actor=run.started_by,
            reason=f"{run.matched_count} matched, {counted(run.discrepancy_count, 'discrepancy', 'discrepancies')}",
        )


def _system_rows(*, configuration, run_date: date, rules: MatchingRules) -> list[SystemRow]:
    start = run_date - timedelta(days=rules.settlement_cycle_days + rules.date_window_days + 1)
    with cyclic_gc_paused():  # sources build a million rows (engine/memory.py)
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
    if not paired_elsewhere:  # a first run of its dates: nothing to take out
        return rows
    return [row for row in rows if row.key not in paired_elsewhere]


def reconciliation_runs_abandoned_fail(*, now: datetime | None = None) -> list[int]:
    """Runs still "running" RUN_ABANDONED_AFTER after they started, marked failed with a
    message that says so (nobody waits for them; the date can be run again). Returns their ids."""
    cutoff = (now or timezone.now()) - RUN_ABANDONED_AFTER
    failed = []
    for run_id in ReconciliationRun.objects.filter(status="running", started_at__lt=cutoff).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            # Locked and read again: a run that finished meanwhile is left as it is.
            run = ReconciliationRun.objects.select_for_update().filter(pk=run_id, status="running").first()
            if run is None:
                continue
            started = timezone.localtime(run.started_at).strftime("%d %b %Y %H:%M")
            _fail(run, actor=None, message=f"The run stopped without finishing (started {started}; its "
                  "worker probably ended). Nothing of it was kept: start the date again.")  # fmt: skip
        failed.append(run_id)
    return failed


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
    with transaction.atomic():
        run.error_message = message
        _finish(run, to="failed", actor=actor, reason=message)
    return run
