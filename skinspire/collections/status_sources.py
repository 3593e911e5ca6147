"""What the status sync should ask the gateway about (skinspire.gateways.webhooks.status_sync):
our objects still waiting for a gateway's answer. Its answers come back through the same
handlers as webhooks (services/events.py), so a lost webhook is made good the same way."""

from collections.abc import Iterator
from datetime import datetime, timedelta

from skinspire.collections.models import PatientPayment, PatientRefund, PaymentCategory, PaymentLink
from skinspire.gateways.webhooks.registry import StatusQuery

# An abandoned checkout stays pending for ever; after a week nobody is asked about it.
GIVE_UP_AFTER = timedelta(days=7)


def patient_payments_pending(*, older_than: datetime) -> Iterator[StatusQuery]:
    payments = (
        PatientPayment.objects.filter(
            category=PaymentCategory.GATEWAY,
            status__in=("pending", "authorized"),
            payment_link__isnull=True,
            created_at__lt=older_than,
            created_at__gte=older_than - GIVE_UP_AFTER,
            configuration__isnull=False,
        )
        .exclude(gateway_order_id="")
        .values_list("configuration_id", "gateway_order_id", "reference")
    )
    for configuration_id, order_id, reference in payments:
        yield StatusQuery(configuration_id=configuration_id, object_type="order", gateway_id=order_id,
                          reference_id=reference)  # fmt: skip


def patient_refunds_pending(*, older_than: datetime) -> Iterator[StatusQuery]:
    refunds = PatientRefund.objects.filter(
        status="pending", created_at__lt=older_than, payment__configuration__isnull=False
    ).values_list("payment__configuration_id", "gateway_refund_id", "reference", "payment__gateway_order_id")
    for configuration_id, refund_id, reference, order_id in refunds:
        yield StatusQuery(configuration_id=configuration_id, object_type="refund", gateway_id=refund_id,
                          reference_id=reference, parent_id=order_id)  # fmt: skip


def payment_links_open(*, older_than: datetime) -> Iterator[StatusQuery]:
    links = (
        PaymentLink.objects.filter(
            status__in=("created", "partially_paid"),
            created_at__lt=older_than,
            expires_at__gte=older_than - GIVE_UP_AFTER,
            configuration__isnull=False,
        )
        .exclude(gateway_link_id="")
        .values_list("configuration_id", "gateway_link_id", "reference")
    )
    for configuration_id, link_id, reference in links:
        yield StatusQuery(configuration_id=configuration_id, object_type="payment_link", gateway_id=link_id,
                          reference_id=reference)  # fmt: skip
