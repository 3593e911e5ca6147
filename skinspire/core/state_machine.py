"""A status field's transition table, declared once per model (DESIGN decision 3).

A model with a `status` CharField declares its table as a class attribute, and every
status change goes through `skinspire.core.transitions.transition`:

    class Payout(models.Model):
        state_machine = StateMachine(
            ranks={"queued": 0, "processing": 1, "processed": 2, "failed": 2, "reversed": 3},
            moves={
                "queued": {"processing", "processed", "failed"},
                "processing": {"processed", "failed"},
                "processed": {"reversed"},
            },
            final={"failed", "reversed"},
        )
        status = models.CharField(max_length=20, choices=state_machine.choices, default="queued")

The rank orders the states so that "backwards" means something: a move to a lower rank
(a late "processing" after "processed") or to the state the row is already in (a
repeated event) is stale, recorded and ignored. Every allowed move goes to a strictly
higher rank, so a status can never go backwards or round in a circle. A move that is
neither allowed nor stale (sideways between equal ranks, a skip the table does not list,
anything out of a final state towards a higher rank) is illegal.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType

from django.core.exceptions import ImproperlyConfigured


class Verdict(Enum):
    APPLY = "apply"
    REPEATED = "repeated"  # already in the target state
    STALE = "stale"  # the target is earlier than the current state
    ILLEGAL = "illegal"


@dataclass(frozen=True, eq=False)
class StateMachine:
    ranks: Mapping[str, int]
    moves: Mapping[str, Iterable[str]]
    final: Iterable[str] = ()
    labels: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self):
        # Read-only copies, so a table cannot be changed after the model class is built.
        moves = {state: frozenset(targets) for state, targets in self.moves.items()}
        object.__setattr__(self, "ranks", MappingProxyType(dict(self.ranks)))
        object.__setattr__(self, "moves", MappingProxyType(moves))
        object.__setattr__(self, "final", frozenset(self.final))
        object.__setattr__(self, "labels", MappingProxyType(dict(self.labels)))
        problems = self._problems()
        if problems:
            raise ImproperlyConfigured(f"State machine: {'; '.join(problems)}.")

    @property
    def states(self) -> list[str]:
        """Every state, lowest rank first (declaration order within a rank)."""
        return sorted(self.ranks, key=self.ranks.__getitem__)

    @property
    def choices(self) -> list[tuple[str, str]]:
        """For the model field's `choices`."""
        return [(state, self.label(state)) for state in self.states]

    def label(self, state: str) -> str:
        return self.labels.get(state, state.replace("_", " ").capitalize())

    def is_final(self, state: str) -> bool:
        return state in self.final

    def allowed_moves(self, state: str) -> frozenset[str]:
        return frozenset(self.moves.get(state, ()))

    def judge(self, current: str, target: str) -> Verdict:
        """What moving from `current` to `target` would be. Pure: reads nothing, writes nothing."""
        for state in (current, target):
            if state not in self.ranks:
                raise ValueError(f"{state!r} is not a state of this machine ({', '.join(self.states)}).")
        if target == current:
            return Verdict.REPEATED
        if target in self.allowed_moves(current):
            return Verdict.APPLY
        if self.ranks[target] < self.ranks[current]:
            return Verdict.STALE
        return Verdict.ILLEGAL

    def _problems(self) -> list[str]:
        problems = []
        undeclared = (set(self.moves) | set(self.final) | set(self.labels)) - set(self.ranks)
        undeclared |= {target for targets in self.moves.values() for target in targets} - set(self.ranks)
        if undeclared:
            problems.append(f"states without a rank: {', '.join(sorted(undeclared))}")
        for state, targets in self.moves.items():
            if state in self.final and targets:
                problems.append(f"final state {state!r} has moves out of it")
            for target in sorted(frozenset(targets) - undeclared):
                if state not in undeclared and self.ranks[target] <= self.ranks[state]:
                    problems.append(f"{state!r} -> {target!r} does not go to a higher rank")
        for state in self.states:
            if state not in self.final and not self.allowed_moves(state):
                problems.append(f"{state!r} has no moves out of it and is not final")
        return problems
