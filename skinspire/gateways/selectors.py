"""Reads of gateway configurations. Listing never decrypts: secrets stay deferred."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from skinspire.core.models import Branch, Hospital
from skinspire.core.tenancy import scope_queryset
from skinspire.gateways.models import GatewayConfiguration, GatewayTransactionLog, Mode


def gateway_configuration_list(*, user) -> QuerySet[GatewayConfiguration]:
    """The configurations `user` may see, without their secret columns."""
    return scope_queryset(GatewayConfiguration.objects.without_secrets(), user)


def gateway_transaction_log_list(*, user) -> QuerySet[GatewayTransactionLog]:
    return scope_queryset(GatewayTransactionLog.objects.all(), user)


def gateway_configuration_default_conflict(
    *, hospital_id: int, branch_id: int | None, mode: str, exclude_pk: int | None = None
) -> GatewayConfiguration | None:
    """The other default active configuration for this hospital/branch/mode, if any."""
    conflicts = GatewayConfiguration.objects.without_secrets().filter(
        hospital_id=hospital_id, branch_id=branch_id, mode=mode, is_default=True, is_active=True
    )
    if exclude_pk is not None:
        conflicts = conflicts.exclude(pk=exclude_pk)
    return conflicts.first()


def configuration_for_webhook(*, provider: str, merchant_id: str) -> QuerySet[GatewayConfiguration]:
    """The active configurations a webhook delivery from `provider` naming `merchant_id`
    (Razorpay's envelope `account_id`, Paytm's MID) may belong to; secrets deferred. More
    than one when the merchant's account serves several hospitals or branches."""
    if not merchant_id:
        return GatewayConfiguration.objects.none()
    return (
        GatewayConfiguration.objects.without_secrets()
        .active()
        .filter(provider=provider, merchant_id=merchant_id)
        .order_by("pk")
    )


@dataclass(frozen=True)
class GatewayPaymentsState:
    """Whether a hospital (and branch) can pay through a gateway now, and in which mode."""

    mode: str
    active_configurations: int

    @property
    def switched_off(self) -> bool:
        return self.active_configurations == 0


def gateway_payments_state(*, hospital: Hospital, branch: Branch | None = None) -> GatewayPaymentsState:
    """Gateway payments are *switched off* when no active configuration serves the hospital
    (hospital-wide, or this branch's own) in its current mode.

    The current mode is read from every configuration in scope, active or not, the way the
    manager ranks them: the mode of the default that applies (the branch's, then the
    hospital's); else live if any live configuration exists; else test. So a gateway admin
    who deactivates the live configuration switches gateway payments off, even if an
    active test configuration remains (the manager would silently pick test mode for it).
    """
    scope = Q(branch__isnull=True) | Q(branch=branch) if branch else Q(branch__isnull=True)
    configurations = list(
        GatewayConfiguration.objects.filter(scope, hospital=hospital).values(
            "branch_id", "is_default", "is_active", "mode", "priority", "pk"
        )
    )
    defaults = sorted(
        (item for item in configurations if item["is_default"]),
        key=lambda item: (item["branch_id"] is None, item["priority"], item["pk"]),
    )
    if defaults:
        mode = defaults[0]["mode"]
    else:
        mode = Mode.LIVE if any(item["mode"] == Mode.LIVE for item in configurations) else Mode.TEST
    active = sum(1 for item in configurations if item["is_active"] and item["mode"] == mode)
    return GatewayPaymentsState(mode=mode, active_configurations=active)
