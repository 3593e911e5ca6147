"""The one way a status changes (DESIGN decision 3; docs/state-machines.md).

`transition(...)` locks the row, judges the move against the model's `state_machine`,
writes the new status with a conditional UPDATE, and records the attempt in
StatusTransition, all in one transaction. Illegal moves raise IllegalTransitionError (409)
and write nothing; repeated and stale ones are recorded as ignored and change nothing.
`transition_reported(...)` is the same for a move a gateway reports, and records an illegal
one as ignored too instead of raising.
"""

import logging
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, cast

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, models, router, transaction
from django.db.models.sql import UpdateQuery
from django.utils import timezone

from skinspire.core import locks
from skinspire.core.errors import ConflictError, IllegalTransitionError
from skinspire.core.models import StatusTransition, User
from skinspire.core.state_machine import StateMachine, Verdict

logger = logging.getLogger(__name__)


def state_machine_of(model: type[models.Model]) -> StateMachine:
    machine = getattr(model, "state_machine", None)
    if not isinstance(machine, StateMachine):
        raise ImproperlyConfigured(f"{model._meta.label} declares no `state_machine`.")
    return machine


def transition(
    *,
    instance: models.Model,
    to: str,
    reason: str,
    actor: User | None = None,
    event_reference: str = "",
    reported: bool = False,
) -> StatusTransition:
    """Move `instance.status` to `to`, or record why not. Returns the history row.

    `actor` is the person who asked; `event_reference` the gateway event or job that did
    ("webhook:razorpay:evt_123"). At least one is required, and a reason always.
    Afterwards `instance.status` holds what the database holds.

    `reported`: `to` is what a gateway reports (a webhook, a status fetch, a call's answer).
    A move the table does not know from here ("expired" after "paid": sideways between two
    ends) is then the gateway's late or contrary word, not the caller's mistake: raising
    would fail the webhook and have the inbox retry it for nothing. It is recorded as
    ignored, as a stale one is, with a warning for a person to look at.
    """
    if not reason.strip():
        raise ValueError("A transition needs a reason.")
    if actor is None and not event_reference:
        raise ValueError("A transition needs an actor or an event reference.")
    model = type(instance)
    machine = state_machine_of(model)
    with transaction.atomic():
        current = _locked_status(model, instance.pk)
        verdict = machine.judge(current, to)
        if verdict is Verdict.ILLEGAL:
            if not reported:
                raise _illegal(instance, machine, current=current, target=to)
            logger.warning(
                "%s %s: %s -> %s ignored, not a move from %s (%s)",
                model._meta.label, instance.pk, current, to, current, event_reference or actor,
            )  # fmt: skip
            reason = f"Ignored, not a move from {current}: {reason}"
        applied = verdict is Verdict.APPLY
        changes = _write_status(model, pk=instance.pk, current=current, target=to) if applied else {}
        record = StatusTransition.objects.create(
            content_type=ContentType.objects.get_for_model(model),
            object_id=str(instance.pk),
            from_state=current,
            to_state=to,
            outcome=StatusTransition.Outcome.APPLIED if applied else StatusTransition.Outcome.IGNORED,
            reason=reason,
            actor=actor,
            event_reference=event_reference,
        )
    for name, value in {"status": current, **changes}.items():
        setattr(instance, name, value)
    return record


# `transition` for a status a gateway reports (see `reported`).
transition_reported = partial(transition, reported=True)


def _locked_status(model: type[models.Model], pk) -> str:
    """SELECT status ... WHERE pk = pk FOR NO KEY UPDATE (locks.lock_queryset's lock and
    order), the row's current status. Raises `model.DoesNotExist`.

    The statement is compiled by the ORM once per model and database and then only executed:
    building the same one-row query per transition was a tenth of the webhook worker's CPU
    per event (docs/webhooks.md, benchmark)."""
    using = router.db_for_write(model)
    locks.ensure_in_transaction(using=using)
    connection = connections[using]
    sql = _LOCK_SQL.get((model, using))
    if sql is None:
        query = locks.lock_queryset(model._base_manager.using(using).filter(pk=0)).values_list("status").query
        sql, params = query.get_compiler(using).as_sql()
        if len(params) != 1:  # the pk, and nothing else the statement could depend on
            raise ImproperlyConfigured(f"Unexpected lock statement for {model._meta.label}: {sql}")
        _LOCK_SQL[(model, using)] = sql
    with connection.cursor() as cursor:
        cursor.execute(sql, [model._meta.pk.get_db_prep_value(pk, connection)])
        row = cursor.fetchone()
    if row is None:
        raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")  # type: ignore[attr-defined]
    return row[0]


_LOCK_SQL: dict[tuple[type[models.Model], str], str] = {}


def _write_status(model: type[models.Model], *, pk, current: str, target: str) -> dict[str, Any]:
    """UPDATE ... SET status = target WHERE pk = pk AND status = current.

    The row is locked, so the WHERE always matches; it is kept as a second guard, so that a
    caller who somehow reached here without the lock still cannot overwrite a move made in
    between (no lost update).
    """
    using = router.db_for_write(model)
    connection = connections[using]
    sql, fields = _update_statement(model, using)
    now = timezone.now()
    # An UPDATE skips auto_now fields; a status change is a change of the row.
    changes: dict[str, Any] = {field.name: target if field.name == "status" else now for field in fields}
    params = [field.get_db_prep_save(changes[field.name], connection) for field in fields]
    params += [model._meta.pk.get_db_prep_value(pk, connection), current]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        updated = cursor.rowcount
    if updated != 1:
        raise ConflictError(
            "This record changed at the same moment; please reload it and try again.",
            {"id": pk, "from": current, "to": target},
        )
    return changes


def _update_statement(model: type[models.Model], using: str) -> tuple[str, list[models.Field]]:
    """The UPDATE of `_write_status`, compiled by the ORM once per model and database (as
    `_locked_status`): its SQL and the fields it sets, in the order of its parameters, which
    are those values followed by the pk and the current status."""
    cached = _UPDATE_SQL.get((model, using))
    if cached is not None:
        return cached
    fields: list[models.Field] = [field for field in model._meta.concrete_fields if field.name == "status"]
    fields += [field for field in model._meta.concrete_fields if getattr(field, "auto_now", False)]
    # Distinct values tell where each parameter goes: refuse anything but the SET values in
    # `fields` order, then the pk, then the current status.
    start = datetime(2000, 1, 1, tzinfo=UTC)
    marks: dict[str, Any] = {"status": "mark-status"}
    for index, field in enumerate(fields[1:]):
        moment = start + timedelta(days=index)
        marks[field.name] = moment.date() if field.get_internal_type() == "DateField" else moment
    filtered = model._base_manager.using(using).filter(pk=0, status="mark-current")
    query = cast(UpdateQuery, filtered.query.chain(UpdateQuery))
    query.add_update_values(marks)
    sql, params = query.get_compiler(using).as_sql()
    connection = connections[using]
    expected = [field.get_db_prep_save(marks[field.name], connection) for field in fields]
    if list(params) != [*expected, 0, "mark-current"]:
        raise ImproperlyConfigured(f"Unexpected status update statement for {model._meta.label}: {sql}")
    _UPDATE_SQL[(model, using)] = (sql, fields)
    return sql, fields


_UPDATE_SQL: dict[tuple[type[models.Model], str], tuple[str, list[models.Field]]] = {}


def _illegal(
    instance: models.Model, machine: StateMachine, *, current: str, target: str
) -> IllegalTransitionError:
    name = str(instance._meta.verbose_name).capitalize()
    allowed = sorted(machine.allowed_moves(current), key=machine.ranks.__getitem__)
    return IllegalTransitionError(
        f"{name} {instance.pk} is {machine.label(current).lower()} and cannot become "
        f"{machine.label(target).lower()}.",
        {
            "model": instance._meta.label_lower,
            "id": instance.pk,
            "from": current,
            "to": target,
            "allowed": allowed,
        },
    )
