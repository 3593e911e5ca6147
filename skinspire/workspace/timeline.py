"""A payment's timeline: every status move recorded in core's StatusTransition, told as
who (a person, or the gateway event that did it), when, why, and whether it applied."""

from dataclasses import dataclass
from datetime import datetime

from django.db import models

from skinspire.core.selectors import transition_history
from skinspire.core.transitions import state_machine_of


@dataclass(frozen=True)
class TimelineEntry:
    occurred_at: datetime
    from_state: str
    from_label: str
    to_state: str
    to_label: str
    applied: bool
    reason: str
    who: str
    event_reference: str


def timeline_of(instance: models.Model) -> list[TimelineEntry]:
    machine = state_machine_of(type(instance))
    return [
        TimelineEntry(
            occurred_at=record.occurred_at,
            from_state=record.from_state,
            from_label=machine.label(record.from_state),
            to_state=record.to_state,
            to_label=machine.label(record.to_state),
            applied=record.applied,
            reason=record.reason,
            who=_who(record),
            event_reference=record.event_reference,
        )
        for record in transition_history(instance=instance)
    ]


def _who(record) -> str:
    if record.actor is not None:
        return record.actor.get_full_name() or record.actor.username
    return "Gateway / system"
