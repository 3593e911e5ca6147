"""What processing did to each inbox row of a batch, written once for the whole batch.

Each processed event changes its row (attempts, processed_at, last error, and its status
moved received -> processed or ignored) and adds one history row (StatusTransition), the
same as `skinspire.core.transitions.transition` would write for it. Writing those per
event cost two statements, a model save and a savepoint each: about half of the worker's
CPU per event (docs/webhooks.md, benchmark). Here they are one UPDATE of every row
(PostgreSQL: `UPDATE … FROM (VALUES …)`) and one multi-row INSERT of the history, at the
end of the batch, in the batch's transaction: they commit with the handlers' writes or
not at all, exactly as before.

The moves are judged by the model's state machine as `transition` judges them: the rows
are locked by the batch, so the status read with the lock is the current one; a repeated
or stale move is recorded as ignored and changes no status; an illegal move never gets
here (processing refuses it through `transition` itself, before the handler runs).
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import connections, router

from skinspire.core.errors import ConflictError
from skinspire.core.models import StatusTransition
from skinspire.core.state_machine import Verdict
from skinspire.core.transitions import state_machine_of
from skinspire.gateways.webhooks.models import WebhookEvent


@dataclass(frozen=True)
class Outcome:
    """One event's result, to be written: its row (locked, as read), the status it goes to,
    why, and the attempt's fields."""

    row: WebhookEvent
    target: str
    reason: str
    event_reference: str
    processed_at: datetime
    last_error: str
    decided_at: datetime


def outcomes_write(outcomes: list[Outcome]) -> None:
    """The rows' new fields (one UPDATE) and their history (one INSERT); afterwards each
    row object holds what its database row holds. Inside the batch's transaction."""
    if not outcomes:
        return
    machine = state_machine_of(WebhookEvent)
    verdicts = [machine.judge(outcome.row.status, outcome.target) for outcome in outcomes]
    if Verdict.ILLEGAL in verdicts:  # processing judged each move before its handler ran
        raise ValueError("An illegal inbox move reached the batch write.")
    changes = [
        (outcome, outcome.target if verdict is Verdict.APPLY else outcome.row.status)
        for outcome, verdict in zip(outcomes, verdicts, strict=True)
    ]
    _update_rows(changes)
    content_type = ContentType.objects.get_for_model(WebhookEvent)
    StatusTransition.objects.bulk_create(
        [
            StatusTransition(
                content_type=content_type,
                object_id=str(outcome.row.pk),
                occurred_at=outcome.decided_at,
                from_state=outcome.row.status,
                to_state=outcome.target,
                outcome=StatusTransition.Outcome.APPLIED
                if verdict is Verdict.APPLY
                else StatusTransition.Outcome.IGNORED,
                reason=outcome.reason,
                event_reference=outcome.event_reference,
            )
            for outcome, verdict in zip(outcomes, verdicts, strict=True)
        ]
    )
    for outcome, status in changes:
        row = outcome.row
        row.status, row.attempts = status, row.attempts + 1
        row.processed_at, row.last_error, row.traceback = outcome.processed_at, outcome.last_error, ""


def _update_rows(changes: list[tuple[Outcome, str]]) -> None:
    """SET status, attempts + 1, processed_at, last_error, traceback = '' for each row,
    WHERE its status is still the one read under the lock (the second guard `transition`
    keeps against a writer that got around the lock: no lost update)."""
    using = router.db_for_write(WebhookEvent)
    connection = connections[using]
    if connection.vendor != "postgresql":
        updated = sum(
            WebhookEvent._base_manager.using(using)
            .filter(pk=outcome.row.pk, status=outcome.row.status)
            .update(
                status=status,
                attempts=outcome.row.attempts + 1,
                processed_at=outcome.processed_at,
                last_error=outcome.last_error,
                traceback="",
            )
            for outcome, status in changes
        )
    else:
        params: list = []
        for outcome, status in changes:
            row = outcome.row
            params += [row.pk, row.status, status, row.attempts + 1, outcome.processed_at, outcome.last_error]
        with connection.cursor() as cursor:
            cursor.execute(_update_sql(connection, len(changes)), params)
            updated = cursor.rowcount
    if updated != len(changes):
        raise ConflictError(
            "An inbox row changed at the same moment; the batch is rolled back to be tried again.",
            {"ids": [outcome.row.pk for outcome, _ in changes]},
        )


def _update_sql(connection, count: int) -> str:
    quote = connection.ops.quote_name
    column = {field.name: quote(field.column) for field in WebhookEvent._meta.concrete_fields}
    # The first tuple's casts type the VALUES list's columns; the rest follow them.
    first = "(%s::bigint, %s::text, %s::text, %s::integer, %s::timestamptz, %s::text)"
    values = ", ".join([first] + ["(%s, %s, %s, %s, %s, %s)"] * (count - 1))
    # Names from the model's metadata, quoted; every value is a parameter.
    return (
        f"UPDATE {quote(WebhookEvent._meta.db_table)} AS inbox SET "  # noqa: S608
        f"{column['status']} = moves.target, {column['attempts']} = moves.attempts, "
        f"{column['processed_at']} = moves.processed_at, {column['last_error']} = moves.last_error, "
        f"{column['traceback']} = '' "
        f"FROM (VALUES {values}) AS moves (id, current, target, attempts, processed_at, last_error) "
        f"WHERE inbox.{column['id']} = moves.id AND inbox.{column['status']} = moves.current"
    )
