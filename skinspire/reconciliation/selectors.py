"""Reconciliation reads."""

from skinspire.reconciliation.engine import MatchingRules
from skinspire.reconciliation.models import MatchingSettings


def matching_rules_for(configuration) -> MatchingRules:
    stored = MatchingSettings.objects.filter(configuration=configuration).first()
    if stored is None:
        return MatchingRules()
    return MatchingRules(
        date_window_days=stored.date_window_days,
        settlement_cycle_days=stored.settlement_cycle_days,
        amount_tolerance=stored.amount_tolerance,
        fee_tolerance=stored.fee_tolerance,
    )


def rules_as_json(rules: MatchingRules) -> dict:
    return {
        "date_window_days": rules.date_window_days,
        "settlement_cycle_days": rules.settlement_cycle_days,
        "amount_tolerance": str(rules.amount_tolerance),
        "fee_tolerance": str(rules.fee_tolerance),
    }
