"""Payout links: the supplier enters their own account on the gateway's page.

Record first, then call out, as for payouts (submission.py): the approved payment is
`submitted` and committed, then the task creates the link. Payout links take no
idempotency key at the gateway (reference §2.4: only payouts do), so what stops a second
link is ours: the row lock and the approved -> submitted move (a task runs the call at most
once), the payment's reference as the link's `receipt`, and, after an unknown outcome,
looking the link up by that receipt before creating it again.
"""

from datetime import timedelta

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from skinspire.core.audit import audit_entry_record
from skinspire.core.errors import ApplicationError, ConflictError
from skinspire.core.models import User
from skinspire.core.money import format_inr
from skinspire.core.sms import message_delivery, sms_send
from skinspire.gateways.errors import GatewayAPIError, GatewayError, GatewayNotFoundError
from skinspire.gateways.manager import run_with_fallback
from skinspire.gateways.models import Capability, GatewayConfiguration
from skinspire.gateways.providers.interface import (
    ContactRequest,
    PaymentProvider,
    PayoutLinkRequest,
    PayoutLinkResult,
    PayoutLinkStatus,
    PayoutResult,
)
from skinspire.gateways.providers.registry import provider_for
from skinspire.payouts.dispatch_rate import dispatch_slot_wait
from skinspire.payouts.models import SupplierPayment
from skinspire.payouts.services.payout_link_outcomes import LinkOutcome, supplier_payout_link_apply
from skinspire.payouts.services.submission import payment_call_failed

OPERATION = "create_payout_link"


def _request(payment: SupplierPayment) -> PayoutLinkRequest:
    supplier = payment.supplier
    invoices = ", ".join(line.invoice.number for line in payment.allocations.select_related("invoice"))
    description = payment.description or (
        f"Invoices {invoices}" if invoices else f"Payment {payment.reference}"
    )
    return PayoutLinkRequest(
        amount=payment.amount,
        reference_id=payment.reference,
        contact=ContactRequest(
            name=supplier.name, reference_id=f"SUP-{supplier.pk}", email=supplier.email, phone=supplier.phone
        ),
        description=f"{payment.hospital}: {description}",
        send_email=payment.link_send_email,
        send_sms=payment.link_send_sms,
        # From now, not from creation: an approval may have taken a while.
        expire_by=timezone.now() + timedelta(hours=payment.link_expire_hours or 48),
        notes={"payment": payment.reference},
    )


def payout_link_send(payment: SupplierPayment) -> SupplierPayment:
    """The create call for a `submitted` payout-link payment (supplier_payment_dispatch)."""

    def operation(provider: PaymentProvider, configuration: GatewayConfiguration) -> PayoutLinkResult:
        # Recorded (and committed) before the call: a status sync must know whom to ask.
        SupplierPayment.objects.filter(pk=payment.pk).update(configuration=configuration)
        payment.configuration = configuration
        dispatch_slot_wait(configuration_id=configuration.pk)
        return provider.create_payout_link(_request(payment))

    try:
        result, _ = run_with_fallback(
            hospital=payment.hospital,
            branch=payment.branch,
            capability=Capability.PAYOUT_LINKS,
            provider=payment.requested_provider or None,
            operation=operation,
            allow_fallback=True,
        )
    except GatewayError as error:
        return payment_call_failed(payment, error, operation=OPERATION)
    return supplier_payout_link_apply(
        payment_id=payment.pk,
        outcome=LinkOutcome.from_result(result),
        event_reference=f"api:{OPERATION}:{payment.reference}",
    )


def link_payout(provider: PaymentProvider, result: PayoutLinkResult | LinkOutcome) -> PayoutResult | None:
    """The payout a processed link made, for its UTR and fee."""
    if result.status != PayoutLinkStatus.PROCESSED or not result.gateway_payout_id:
        return None
    return provider.fetch_payout(gateway_payout_id=result.gateway_payout_id)


def supplier_payout_link_status_sync(*, payment: SupplierPayment) -> SupplierPayment:
    """Ask the gateway about the link (by its id, or by our reference when the create call's
    answer was lost) and apply the answer; create it if the gateway never got it."""
    assert payment.configuration is not None  # set before the create call
    provider = provider_for(payment.configuration)
    try:
        result = provider.fetch_payout_link(payment.payout_link_id, reference_id=payment.reference)
    except GatewayNotFoundError:
        if payment.status in ("submitted", "unknown") and not payment.payout_link_id:
            return _create_again(payment, provider)
        raise
    return supplier_payout_link_apply(
        payment_id=payment.pk,
        outcome=LinkOutcome.from_result(result),
        payout=link_payout(provider, result),
        event_reference=f"status-sync:{payment.reference}",
    )


def _create_again(payment: SupplierPayment, provider: PaymentProvider) -> SupplierPayment:
    try:
        result = provider.create_payout_link(_request(payment))
    except GatewayError as error:
        return payment_call_failed(payment, error, operation=OPERATION)
    return supplier_payout_link_apply(
        payment_id=payment.pk,
        outcome=LinkOutcome.from_result(result),
        event_reference=f"api:resend:{payment.reference}",
    )


def supplier_payout_link_cancel(*, payment: SupplierPayment, actor: User, reason: str) -> SupplierPayment:
    """Cancel an issued link at the gateway (it refuses once the supplier has claimed it)."""
    if payment.status != "processing" or not payment.payout_link_id or payment.configuration is None:
        raise ConflictError(
            "Only an issued payout link can be cancelled; this one is not at the gateway yet or is done.",
            {"status": payment.status},
        )
    try:
        result = provider_for(payment.configuration).cancel_payout_link(payment.payout_link_id)
    except GatewayAPIError as error:
        raise ConflictError(
            f"The gateway did not cancel the link: {error.message} Refresh its status: the supplier "
            "may have claimed it already.",
            {"payout_link_id": payment.payout_link_id},
        ) from error
    with transaction.atomic():
        payment = supplier_payout_link_apply(
            payment_id=payment.pk,
            outcome=LinkOutcome.from_result(result),
            event_reference=f"api:cancel_payout_link:{payment.reference}",
            reason=reason,
            actor=actor,
        )
        audit_entry_record(
            action="payouts.payment.cancel",
            actor=actor,
            target=payment,
            changes={"status": {"from": "processing", "to": payment.status}},
            message=reason,
        )
    return payment


def payout_link_resend_channels(payment: SupplierPayment) -> list[str]:
    """How a resend reaches the supplier: by the channels the link was first sent by, where the
    supplier has an address; a link sent by neither (to be copied) goes by every address known."""
    supplier = payment.supplier
    addresses = {"email": supplier.email, "sms": supplier.phone}
    wanted = {"email": payment.link_send_email, "sms": payment.link_send_sms}
    if not any(wanted.values()):
        wanted = {"email": True, "sms": True}
    return [channel for channel in ("email", "sms") if wanted[channel] and addresses[channel]]


def supplier_payout_link_resend(*, payment: SupplierPayment, actor: User) -> list[str]:
    """Send the supplier the link again, by e-mail and/or SMS. RazorpayX has no API to re-send
    its own notices (https://razorpay.com/docs/x/payout-links/faqs/: only from its Dashboard),
    so we send ours. Returns the channels used."""
    if payment.payout_link_status != PayoutLinkStatus.ISSUED or not payment.payout_link_url:
        raise ConflictError(
            "Only an issued payout link that the supplier has not claimed can be sent again.",
            {"payout_link_status": payment.payout_link_status},
        )
    if payment.payout_link_expires_at and payment.payout_link_expires_at <= timezone.now():
        raise ConflictError("This payout link has expired; cancel it and pay again.", {})
    channels = payout_link_resend_channels(payment)
    if not channels:
        raise ApplicationError(
            "The supplier has no e-mail address or phone number to send the link to; add one, or copy the link.",
            {"fields": {"supplier_id": ["no_contact"]}},
        )
    supplier = payment.supplier
    amount = format_inr(payment.amount)
    if "email" in channels:
        invoices = ", ".join(line.invoice.number for line in payment.allocations.select_related("invoice"))
        context = {"supplier": supplier, "payment": payment, "url": payment.payout_link_url,
                   "amount": amount, "invoices": invoices}  # fmt: skip
        with message_delivery("email"):
            send_mail(
                subject=f"{payment.hospital} is paying you {amount}",
                message=render_to_string("payouts/payout_link_email.txt", context),
                from_email=None,
                recipient_list=[supplier.email],
            )
    if "sms" in channels:
        with message_delivery("sms"):
            sms_send(
                to=supplier.phone,
                text=f"{payment.hospital} is paying you {amount} ({payment.reference}). "
                f"Choose your account at {payment.payout_link_url}",
            )
    audit_entry_record(
        action="payouts.payment.link_resend", actor=actor, target=payment, message=", ".join(channels)
    )
    return channels
