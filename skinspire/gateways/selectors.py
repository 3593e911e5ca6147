"""Reads of gateway configurations. Listing never decrypts: secrets stay deferred."""

from django.db.models import QuerySet

from skinspire.core.tenancy import scope_queryset
from skinspire.gateways.models import GatewayConfiguration, GatewayTransactionLog


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
