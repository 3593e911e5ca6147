"""The matching engine: pure functions over frozen rows, no ORM (so it is tested and
measured alone). See match.reconcile and passes for the rules."""

from skinspire.reconciliation.engine.match import Reconciliation, Totals, reconcile
from skinspire.reconciliation.engine.rows import (
    DISCREPANCIES,
    Category,
    GatewayRow,
    Kind,
    MatchingRules,
    Outcome,
    Pass,
    RowStatus,
    SystemRow,
)

__all__ = [
    "DISCREPANCIES",
    "Category",
    "GatewayRow",
    "Kind",
    "MatchingRules",
    "Outcome",
    "Pass",
    "Reconciliation",
    "RowStatus",
    "SystemRow",
    "Totals",
    "reconcile",
]
