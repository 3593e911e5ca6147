"""What the status sync should ask the gateway about (skinspire.gateways.webhooks.status_sync):
our objects still waiting for a gateway's answer. Its answers come back through the same
handlers as webhooks (services/events.py), so a lost webhook is made good the same way."""

import logging
from collections.abc import Iterator
from datetime import datetime, timedelta

from django.db.models import Q

from skinspire.collections.models import (
    PatientPayment,
    PatientRefund,
    PaymentCategory,
    PaymentLink,
)
from skinspire.collections.services.checkout_release import RELEASED_CODE
from skinspire.collections.services.link_recovery import lost_link_findable, payment_link_recover
from skinspire.collections.services.links_beyond_open import bills_with_links_beyond_open
from skinspire.collections.services.order_recovery import patient_payment_order_recover
from skinspire.collections.services.paid_bills import bill_links_beyond_open_cancel
from skinspire.gateways.errors import GatewayError
from skinspire.gateways.webhooks.registry import StatusQuery

logger = logging.getLogger(__name__)

# An abandoned checkout stays pending for ever; after a week nobody is asked about it.
GIVE_UP_AFTER = timedelta(days=7)


def patient_payments_pending(*, older_than: datetime) -> Iterator[StatusQuery]:
    """Gateway payments still waiting. Those whose create-order answer was lost are first
    given their order id by the gateway (services/order_recovery.py), or failed when it
    has none, so they are asked about below with the rest. Orders staff released
    (services/checkout_release.py) too: the gateway still takes payments on them, and money
    paid there must land even when its webhook is lost."""
    _lost_orders_recover(older_than=older_than)
    payments = (
        PatientPayment.objects.filter(
            Q(status__in=("pending", "authorized")) | Q(status="failed", failure_code=RELEASED_CODE),
            category=PaymentCategory.GATEWAY,
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


def _lost_orders_recover(*, older_than: datetime) -> None:
    lost = PatientPayment.objects.select_related("configuration").filter(
        category=PaymentCategory.GATEWAY,
        status="pending",
        gateway_order_id="",
        payment_link__isnull=True,
        created_at__lt=older_than,
        created_at__gte=older_than - GIVE_UP_AFTER,
        configuration__isnull=False,
    )
    for payment in lost:
        try:
            patient_payment_order_recover(payment=payment)
        except GatewayError as error:  # asked again at the next run
            logger.warning("Payment %s: its lost order could not be looked up: %s", payment.reference, error)


def patient_refunds_pending(*, older_than: datetime) -> Iterator[StatusQuery]:
    """Pending refunds, for as long as they are pending; those overdue and marked for a person
    are asked about less often, by services/gateway_refunds_overdue.py, instead."""
    refunds = PatientRefund.objects.filter(
        status="pending",
        created_at__lt=older_than,
        payment__configuration__isnull=False,
        attention_since__isnull=True,
    ).values_list("payment__configuration_id", "gateway_refund_id", "reference", "payment__gateway_order_id")
    for configuration_id, refund_id, reference, order_id in refunds:
        yield StatusQuery(configuration_id=configuration_id, object_type="refund", gateway_id=refund_id,
                          reference_id=reference, parent_id=order_id)  # fmt: skip


def payment_links_open(*, older_than: datetime) -> Iterator[StatusQuery]:
    """Open links. Those whose create answer was lost are first looked up by our reference
    where the gateway can (services/link_recovery.py): found, they are asked about below with
    the rest; not there, they are cancelled. Open links that ask for more than their bill has
    open (all of a paid bill's) are cancelled first (services/paid_bills.py): this run is the
    retry of a cancel that failed, or of a task that never ran."""
    _links_beyond_open_cancel()
    _lost_links_recover(older_than=older_than)
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


def _links_beyond_open_cancel() -> None:
    for bill_id in list(bills_with_links_beyond_open().values_list("pk", flat=True)):
        bill_links_beyond_open_cancel(bill_id=bill_id)


def _lost_links_recover(*, older_than: datetime) -> None:
    lost = PaymentLink.objects.select_related("configuration").filter(
        status="created",
        gateway_link_id="",
        created_at__lt=older_than,
        expires_at__gte=older_than - GIVE_UP_AFTER,
        configuration__isnull=False,
    )
    for link in lost:
        if not lost_link_findable(link):
            continue  # Paytm: left to expire (docs/collections.md)
        try:
            payment_link_recover(link=link)
        except GatewayError as error:  # asked again at the next run
            logger.warning("Link %s: its lost gateway link could not be looked up: %s", link.reference, error)
