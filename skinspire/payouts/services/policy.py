"""A hospital's payout policy: approval threshold and the gateway payouts switch (audited).

Switching gateway payouts off (for the hospital, or some branches) is the seed's rollback
step one: new gateway payouts are refused with a clear message, manual payments go on, and
payouts already approved still reach their end.
"""

from decimal import Decimal

from django.db import transaction

from skinspire.core.audit import audit_entry_record
from skinspire.core.errors import ConflictError
from skinspire.core.models import Branch, Hospital, User
from skinspire.core.money import to_rupees
from skinspire.payouts.conf import default_approval_threshold
from skinspire.payouts.models import PayoutPolicy


def payout_policy_update(
    *,
    hospital: Hospital,
    actor: User | None,
    approval_threshold: Decimal | None = None,
    gateway_payouts_enabled: bool | None = None,
    disabled_branches: list[Branch] | None = None,
) -> PayoutPolicy:
    with transaction.atomic():
        policy, _ = PayoutPolicy.objects.select_for_update().get_or_create(
            hospital=hospital, defaults={"approval_threshold": default_approval_threshold()}
        )
        changes: dict = {}
        if approval_threshold is not None and to_rupees(approval_threshold) != policy.approval_threshold:
            changes["approval_threshold"] = {
                "from": policy.approval_threshold,
                "to": to_rupees(approval_threshold),
            }
            policy.approval_threshold = to_rupees(approval_threshold)
        if gateway_payouts_enabled is not None and gateway_payouts_enabled != policy.gateway_payouts_enabled:
            changes["gateway_payouts_enabled"] = {
                "from": policy.gateway_payouts_enabled,
                "to": gateway_payouts_enabled,
            }
            policy.gateway_payouts_enabled = gateway_payouts_enabled
        policy.save()
        if disabled_branches is not None:
            before = sorted(policy.gateway_payouts_disabled_branches.values_list("pk", flat=True))
            after = sorted(branch.pk for branch in disabled_branches if branch.hospital_id == hospital.pk)
            if before != after:
                changes["gateway_payouts_disabled_branches"] = {"from": before, "to": after}
                policy.gateway_payouts_disabled_branches.set(after)
        if changes:
            audit_entry_record(
                action="payouts.policy.update", actor=actor, target=policy, hospital=hospital, changes=changes
            )
    return policy


def check_gateway_payouts_allowed(*, hospital: Hospital, branch: Branch | None) -> None:
    policy = PayoutPolicy.objects.filter(hospital=hospital).first()
    if policy is None:
        return
    if not policy.gateway_payouts_enabled:
        raise ConflictError(
            "Gateway payouts are switched off for this hospital; record a manual payment instead, "
            "or ask a gateway admin to switch them back on (admin, Payout policies).",
            {"fields": {"method": ["gateway_payouts_off"]}},
        )
    if branch is not None and policy.gateway_payouts_disabled_branches.filter(pk=branch.pk).exists():
        raise ConflictError(
            f"Gateway payouts are switched off for {branch.name}; record a manual payment instead.",
            {"fields": {"method": ["gateway_payouts_off"]}},
        )
