"""Sending an approved payout to the gateway, and finding out what became of it.

Record first, then call out (DESIGN decision 5): the payment is `submitted` and committed
before the request leaves. The request carries the payment's idempotency key, so a resend
after a timeout or a crash returns the gateway's first payout instead of making a second.
An unknown outcome (timeout, 5xx) leaves the payment `unknown`, never `failed`: the status
sync asks the gateway by our reference, and resends under the same key if it has nothing.
Another gateway is tried only when the first provably failed (gateways/manager.py).
"""

import logging
from dataclasses import replace
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from skinspire.core import locks
from skinspire.core.transitions import transition
from skinspire.gateways.errors import GatewayError, GatewayNotFoundError
from skinspire.gateways.manager import run_with_fallback
from skinspire.gateways.models import Capability, GatewayConfiguration
from skinspire.gateways.providers.interface import PaymentProvider, PayoutMode, PayoutRequest, PayoutStatus
from skinspire.gateways.providers.registry import provider_for
from skinspire.payouts.conf import payout_callback_url
from skinspire.payouts.dispatch_rate import dispatch_slot_wait
from skinspire.payouts.models import PaymentMethod, SupplierAccountGatewayLink, SupplierPayment
from skinspire.payouts.services.allocations import allocations_release
from skinspire.payouts.services.gateway_links import contact_of, destination_of
from skinspire.payouts.services.outcomes import PayoutOutcome, supplier_payment_apply_outcome

logger = logging.getLogger(__name__)

IN_FLIGHT = ("submitted", "unknown", "processing")
SENT_METHODS = (PaymentMethod.GATEWAY_PAYOUT, PaymentMethod.PAYOUT_LINK)
STALE_BATCH = 200
DISPATCH_RELATED = ("hospital", "branch", "account__supplier")
RESOLVE_AFTER_SECONDS = 60  # Razorpay: retry a timed-out create after 1, 2 and 5 minutes (reference §2.4)


def supplier_payment_dispatch(*, payment_id: int) -> SupplierPayment:
    """approved -> submitted, then the gateway call (a payout, or a payout link). Any number
    of concurrent calls send once."""
    with transaction.atomic():
        # What the call needs (hospital, branch, account and its supplier) read with the lock.
        payment = locks.lock_row(SupplierPayment, pk=payment_id, related=DISPATCH_RELATED)
        if payment.status != "approved" or payment.method not in SENT_METHODS:
            return payment
        if payment.method == PaymentMethod.GATEWAY_PAYOUT and (
            payment.account is None or not payment.account.is_payable()
        ):
            # Its details changed after approval: they are not what was approved.
            _cancel_unpayable(payment)
            return payment
        transition(
            instance=payment,
            to="submitted",
            reason="Sending to the gateway",
            event_reference=f"task:dispatch:{payment_id}",
        )
        payment.submitted_at = timezone.now()
        payment.save(update_fields=["submitted_at", "updated_at"])
    if payment.method == PaymentMethod.PAYOUT_LINK:
        from skinspire.payouts.services.payout_links import payout_link_send

        return payout_link_send(payment)
    return _send_first(payment)


def _cancel_unpayable(payment: SupplierPayment) -> None:
    transition(
        instance=payment,
        to="cancelled",
        reason="Not sent: the account's details changed after approval and await approval and "
        "cooling-off; pay again once the account is payable.",
        event_reference=f"task:dispatch:{payment.pk}",
    )
    allocations_release(payment=payment)


def _request(payment: SupplierPayment) -> PayoutRequest:
    account = payment.account
    assert account is not None  # a payout always goes to an account
    return PayoutRequest(
        amount=payment.amount,
        mode=PayoutMode(payment.mode),
        idempotency_key=str(payment.gateway_idempotency_key),
        reference_id=payment.reference,
        destination=destination_of(account),
        beneficiary=contact_of(account),
        fund_account_id=payment.gateway_fund_account_id,
        narration=f"Skinspire {payment.reference}",
        callback_url=payout_callback_url(),
        notes={"payment": payment.reference},
    )


def _send_first(payment: SupplierPayment) -> SupplierPayment:
    def operation(provider: PaymentProvider, configuration: GatewayConfiguration):
        link = SupplierAccountGatewayLink.objects.filter(
            account_id=payment.account_id, configuration=configuration
        ).first()
        fund_account_id = link.fund_account_id if link else ""
        # Recorded (and committed) before the call: a status sync must know whom to ask.
        SupplierPayment.objects.filter(pk=payment.pk).update(
            configuration=configuration, gateway_fund_account_id=fund_account_id
        )
        payment.configuration, payment.gateway_fund_account_id = configuration, fund_account_id
        dispatch_slot_wait(configuration_id=configuration.pk)
        return provider.create_payout(replace(_request(payment), fund_account_id=fund_account_id))

    try:
        result, _ = run_with_fallback(
            hospital=payment.hospital,
            branch=payment.branch,
            capability=Capability.PAYOUTS,
            provider=payment.requested_provider or None,
            operation=operation,
            allow_fallback=True,
        )
    except GatewayError as error:
        return payment_call_failed(payment, error)
    return supplier_payment_apply_outcome(
        payment_id=payment.pk,
        outcome=PayoutOutcome.from_result(result),
        event_reference=f"api:create_payout:{payment.reference}",
    )


def _resend(payment: SupplierPayment) -> SupplierPayment:
    """The same request to the same gateway under the same key: the gateway answers with the
    payout it already has, or makes the one it never made."""
    if payment.account is None or not payment.account.is_payable():
        # The gateway has nothing, and the details changed since: never send the new ones.
        outcome = PayoutOutcome(
            status=PayoutStatus.FAILED,
            failure_reason="Never reached the gateway, and the account's details changed since; pay again.",
            failure_code="account_changed",
        )
        return supplier_payment_apply_outcome(
            payment_id=payment.pk, outcome=outcome, event_reference=f"status-sync:{payment.reference}"
        )
    assert payment.configuration is not None  # a gateway payout has its configuration
    try:
        dispatch_slot_wait(configuration_id=payment.configuration.pk)
        result = provider_for(payment.configuration).create_payout(_request(payment))
    except GatewayError as error:
        return payment_call_failed(payment, error)
    return supplier_payment_apply_outcome(
        payment_id=payment.pk,
        outcome=PayoutOutcome.from_result(result),
        event_reference=f"api:resend:{payment.reference}",
    )


def payment_call_failed(
    payment: SupplierPayment, error: GatewayError, *, operation: str = "create_payout"
) -> SupplierPayment:
    """A create call that raised: failed if provably so, else unknown and asked about later."""
    reference = f"api:{operation}:{payment.reference}"
    if error.provably_failed:
        outcome = PayoutOutcome(
            status=PayoutStatus.FAILED, failure_reason=error.message, failure_code=error.code
        )
        return supplier_payment_apply_outcome(
            payment_id=payment.pk, outcome=outcome, event_reference=reference
        )
    with transaction.atomic():
        record = transition(
            instance=payment,
            to="unknown",
            reason=f"No definite answer from the gateway ({error.message}); the status sync will ask it.",
            event_reference=reference,
        )
        if record.applied:  # once; after that the periodic status sync keeps asking
            payment_id = payment.pk
            transaction.on_commit(lambda: _enqueue_status_sync(payment_id, countdown=RESOLVE_AFTER_SECONDS))
    return payment


def supplier_payment_status_sync(*, payment_id: int) -> SupplierPayment:
    """Ask the gateway now and apply its answer. Idempotent; safe at any moment."""
    payment = SupplierPayment.objects.select_related("configuration", "account", "supplier").get(
        pk=payment_id
    )
    if payment.status not in IN_FLIGHT or payment.configuration is None:
        return payment
    if payment.method == PaymentMethod.PAYOUT_LINK:
        from skinspire.payouts.services.payout_links import supplier_payout_link_status_sync

        return supplier_payout_link_status_sync(payment=payment)
    provider = provider_for(payment.configuration)
    try:
        result = provider.fetch_payout(
            gateway_payout_id=payment.gateway_payout_id, reference_id=payment.reference
        )
    except GatewayNotFoundError:
        if payment.status in ("submitted", "unknown"):
            return _resend(payment)
        raise
    return supplier_payment_apply_outcome(
        payment_id=payment.pk,
        outcome=PayoutOutcome.from_result(result),
        event_reference=f"status-sync:{payment.reference}",
    )


def _enqueue_status_sync(payment_id: int, *, countdown: int) -> None:
    from skinspire.payouts.tasks import supplier_payment_status_sync_task

    supplier_payment_status_sync_task.apply_async(args=[payment_id], countdown=countdown)


def supplier_payments_resolve_stale(*, older_than: datetime) -> dict[str, int]:
    """Payouts and payout links stuck `submitted` or `unknown` since before `older_than` (a
    worker died, the gateway never answered): each asked about, and resent (under its key)
    if the gateway has nothing. The inbox's status sync covers `processing`; only we can resend."""
    counts = {"asked": 0, "unanswered": 0}
    stale = SupplierPayment.objects.filter(
        method__in=(PaymentMethod.GATEWAY_PAYOUT, PaymentMethod.PAYOUT_LINK),
        status__in=("submitted", "unknown"),
        updated_at__lt=older_than,
    ).values_list("pk", flat=True)
    for payment_id in list(stale[:STALE_BATCH]):
        counts["asked"] += 1
        try:
            supplier_payment_status_sync(payment_id=payment_id)
        except GatewayError as error:
            counts["unanswered"] += 1
            logger.warning("Payout %s still unresolved: %s", payment_id, error.message)
    return counts
