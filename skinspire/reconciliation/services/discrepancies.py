"""Discrepancies: kept in step with each run, and resolved by accountants.

A discrepancy is keyed by its fingerprint (category and the rows it names). A run that finds
it again updates it and keeps whatever an accountant decided, unless the run is of an older
date than the one that last saw it (its last run and run date only move forward); an open one
that a run no longer finds (a re-run of its date, or a settlement of any date that pairs one
of its rows) is closed as explained by that run. Every resolution is written to the audit log.
"""

import hashlib

from django.db import connection, transaction
from django.db.models import BooleanField, F, Func, Q, Value
from django.utils import timezone

from skinspire.core.audit import audit_entry_record
from skinspire.core.errors import ApplicationError, ConflictError
from skinspire.core.models import StatusTransition
from skinspire.core.transitions import transition
from skinspire.reconciliation.engine import DISCREPANCIES, Outcome, Pass, Reconciliation
from skinspire.reconciliation.engine.memory import cyclic_gc_paused
from skinspire.reconciliation.models import Discrepancy, ReconciliationRun
from skinspire.reconciliation.services.discrepancies_copy import discrepancies_copy

ACTION_RESOLVE = "reconciliation.discrepancy_resolve"
RESOLUTIONS_BY_HAND = {
    Discrepancy.Resolution.FORCE_MATCHED,
    Discrepancy.Resolution.WRITTEN_OFF,
    Discrepancy.Resolution.IGNORED,
}


def fingerprint(outcome: Outcome) -> str:
    text = f"{outcome.category}|{','.join(outcome.gateway_keys)}|{','.join(outcome.system_keys)}"
    return hashlib.sha256(text.encode()).hexdigest()


def discrepancies_found(result: Reconciliation) -> dict[str, Outcome]:
    """The result's discrepancies by fingerprint: no database, so a run works them out while
    its items are still being stored."""
    with cyclic_gc_paused():  # a hundred thousand new objects beside millions of rows (engine/memory.py)
        return {
            fingerprint(outcome): outcome for outcome in result.outcomes if outcome.category in DISCREPANCIES
        }


def discrepancies_sync(*, run: ReconciliationRun, result: Reconciliation, found: dict[str, Outcome]) -> None:
    """Inside the run's storing transaction; `found` is `discrepancies_found(result)`."""
    with cyclic_gc_paused():
        _sync(run, result, found)


def _sync(run: ReconciliationRun, result: Reconciliation, found: dict[str, Outcome]) -> None:
    existing = {
        item.fingerprint: item
        for item in Discrepancy.objects.filter(
            _fingerprint_among(list(found)), configuration=run.configuration
        )
    }
    # Only forward in run date (a re-run of the same date replaces): a run of an older date
    # (an accountant's re-run, a late settlement file) that finds one again leaves it with
    # the newer run, whose date the admin and dashboard filter by and whose re-run decides it.
    seen_later = {key for key, item in existing.items() if item.run_date > run.run_date}
    moved = [item for key, item in existing.items() if key not in seen_later]
    for item in moved:
        item.last_run, item.run_date = run, run.run_date
        item.summary, item.amount_difference = (
            found[item.fingerprint].rule,
            found[item.fingerprint].amount_difference,
        )
    Discrepancy.objects.bulk_update(
        moved, ["last_run", "run_date", "summary", "amount_difference"], batch_size=2000
    )
    _create(run, [(key, outcome) for key, outcome in found.items() if key not in existing])
    _close_explained(run, result, seen_later=seen_later)


def _create(run: ReconciliationRun, new: list[tuple[str, Outcome]]) -> None:
    """By COPY on PostgreSQL: a first run of a million rows finds around a hundred thousand."""
    if connection.vendor == "postgresql":
        discrepancies_copy(run, new)
    else:
        Discrepancy.objects.bulk_create([_new(run, key, outcome) for key, outcome in new], batch_size=2000)


class EqualsAny(Func):
    """`column = ANY(array)`: one array parameter where `IN` would bind each value."""

    arg_joiner = " = ANY("
    template = "%(expressions)s)"
    output_field = BooleanField()


def _fingerprint_among(fingerprints: list[str]) -> Q | EqualsAny:
    """`fingerprint IN (...)` for a run's worth of fingerprints (a first run of a million rows
    has about 100,000): on PostgreSQL one text parameter split by `string_to_array`, since
    100,000 literals cost Django and psycopg over a second of CPU per query, and even an array
    parameter 0.2 s (psycopg checks each element for quoting); fingerprints are hex, so a comma
    separates them safely (checked). PostgreSQL hashes the array either way."""
    if connection.vendor != "postgresql":
        return Q(fingerprint__in=fingerprints)
    joined = ",".join(fingerprints)
    if not fingerprints or joined.count(",") != len(fingerprints) - 1:  # none, or one holds a comma
        return EqualsAny(F("fingerprint"), Value(fingerprints))
    return EqualsAny(F("fingerprint"), Func(Value(joined), Value(","), function="string_to_array"))


def _new(run: ReconciliationRun, key: str, outcome: Outcome) -> Discrepancy:
    return Discrepancy(
        hospital_id=run.hospital_id,
        configuration_id=run.configuration_id,
        fingerprint=key,
        category=outcome.category.value,
        run_date=run.run_date,
        first_run=run,
        last_run=run,
        gateway_keys=list(outcome.gateway_keys),
        system_keys=list(outcome.system_keys),
        summary=outcome.rule,
        amount_difference=outcome.amount_difference,
    )


def _paired_keys(result: Reconciliation) -> set[tuple[str, str]]:
    keys: set[tuple[str, str]] = set()
    for outcome in result.outcomes:
        if outcome.match_pass != Pass.NONE:
            keys.update(("gateway", key) for key in outcome.gateway_keys)
            keys.update(("system", key) for key in outcome.system_keys)
    return keys


def _close_explained(run: ReconciliationRun, result: Reconciliation, *, seen_later: set[str]) -> None:
    """The open ones this run did not find, closed when their last run was of this date (a
    re-run no longer finds them) or when this run pairs one of their rows (a late settlement),
    whatever their date. Those it found name it as their last run now (updated or created just
    before), but for `seen_later`, found again by a run of an older date and left to a newer
    run: only those fingerprints are sent, and a run of the newest date (the nightly one) has
    none (a first run of a million rows finds about 100,000: 0.5 s of CPU to send and match
    them all, where this is none). Not skipped here, a mismatch found again would be closed,
    as its rows are paired."""
    paired: set[tuple[str, str]] | None = None  # made only when an open one needs it
    open_ones = Discrepancy.objects.filter(configuration=run.configuration, status="open").exclude(
        last_run=run
    )
    if seen_later:
        open_ones = open_ones.exclude(_fingerprint_among(sorted(seen_later)))
    for item in open_ones:
        if paired is None:
            paired = _paired_keys(result)
        named = {("gateway", key) for key in item.gateway_keys} | {
            ("system", key) for key in item.system_keys
        }
        if item.run_date == run.run_date or named & paired:  # run_date: its last run's
            _close(item, run)


def _close(item: Discrepancy, run: ReconciliationRun) -> None:
    reason = f"not found again by reconciliation run #{run.pk} of {run.run_date}"
    transition(instance=item, to="superseded", reason=reason, event_reference=f"reconciliation:run:{run.pk}")
    item.resolution, item.resolution_note, item.resolved_at = (
        Discrepancy.Resolution.EXPLAINED,
        reason,
        timezone.now(),
    )
    item.save(update_fields=["resolution", "resolution_note", "resolved_at"])


def discrepancy_resolve(*, discrepancy: Discrepancy, actor, resolution: str, note: str) -> Discrepancy:
    """An accountant's decision: force-match, write off or ignore, always with a reason."""
    note = note.strip()
    if not note:
        raise ApplicationError(
            "Say why: a resolution needs a note.", extra={"fields": {"note": ["This field is required."]}}
        )
    if resolution not in RESOLUTIONS_BY_HAND:
        choices = ", ".join(sorted(RESOLUTIONS_BY_HAND))
        raise ApplicationError(
            f"'{resolution}' is not a resolution ({choices}).",
            extra={"fields": {"resolution": ["Not a choice."]}},
        )
    with transaction.atomic():
        record = transition(instance=discrepancy, to="resolved", reason=note, actor=actor)
        if record.outcome != StatusTransition.Outcome.APPLIED:
            raise ConflictError(
                f"Discrepancy {discrepancy.pk} is already {discrepancy.get_status_display().lower()}."
            )
        discrepancy.resolution, discrepancy.resolution_note = resolution, note
        discrepancy.resolved_by, discrepancy.resolved_at = actor, timezone.now()
        discrepancy.save(update_fields=["resolution", "resolution_note", "resolved_by", "resolved_at"])
        audit_entry_record(
            action=ACTION_RESOLVE,
            actor=actor,
            target=discrepancy,
            changes={
                "status": {"from": "open", "to": "resolved"},
                "resolution": {"from": "", "to": resolution},
            },
            message=note,
        )
    return discrepancy
