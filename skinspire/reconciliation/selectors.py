"""Reconciliation reads."""

from skinspire.core.tenancy import get_scoped_object_or_404, scope_queryset
from skinspire.reconciliation.engine import MatchingRules
from skinspire.reconciliation.models import (
    Discrepancy,
    MatchingSettings,
    ReconciliationItem,
    ReconciliationRun,
)


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


def run_list(*, user, run_date=None, status: str = ""):
    runs = scope_queryset(ReconciliationRun.objects.select_related("configuration"), user)
    if run_date:
        runs = runs.filter(run_date=run_date)
    if status:
        runs = runs.filter(status=status)
    return runs.order_by("-run_date", "-pk")


def run_get(*, user, run_id: int) -> ReconciliationRun:
    return get_scoped_object_or_404(
        ReconciliationRun.objects.select_related("configuration"), user, pk=run_id
    )


def discrepancy_list(*, user, status: str = "", category: str = ""):
    discrepancies = scope_queryset(Discrepancy.objects.all(), user)
    if status:
        discrepancies = discrepancies.filter(status=status)
    if category:
        discrepancies = discrepancies.filter(category=category)
    return discrepancies.order_by("-run_date", "-pk")


def discrepancy_gateway_line(discrepancy: Discrepancy) -> ReconciliationItem | None:
    """The gateway's line a discrepancy of one line is about, as its last run read it (for the
    resolution forms to show what is being linked or recorded); None for several or none."""
    if len(discrepancy.gateway_keys) != 1 or discrepancy.last_run_id is None:
        return None
    return ReconciliationItem.objects.filter(
        run_id=discrepancy.last_run_id, side=ReconciliationItem.Side.GATEWAY, key=discrepancy.gateway_keys[0]
    ).first()


def linked_payment_reference(discrepancy: Discrepancy) -> str:
    """Our reference of the payment a resolved discrepancy names (`linked_key`, e.g.
    "patient_payment:42"), as staff know it; the key itself when it names none."""
    # Imported here: the services import this module (runs.py), so a module-level import would cycle.
    from skinspire.reconciliation.services.resolutions import LINKABLE

    prefix, _, pk = discrepancy.linked_key.partition(":")
    models_by_prefix = {key_prefix: model for model, key_prefix, _ in LINKABLE.values()}
    model = models_by_prefix.get(prefix)
    if model is None or not pk.isdigit():
        return discrepancy.linked_key
    reference = (
        model._default_manager.filter(pk=int(pk), hospital_id=discrepancy.hospital_id)
        .values_list("reference", flat=True)
        .first()
    )
    return reference or discrepancy.linked_key
