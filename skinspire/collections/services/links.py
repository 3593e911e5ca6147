"""Payment links: a hosted page at the gateway for (part of) a bill, with an expiry, sent
to the patient by the gateway's e-mail/SMS; our own page (/pay/link/<token>) hands over to it.

A link's payments are recorded from what the gateway says (fetch_payment, fetch_payment_link)
when its webhook or the browser's signed return arrives, whichever is first; both apply once.
"""

import itertools
import logging
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from skinspire.collections.models import (
    EXPIRY_HOURS,
    RECEIVED_STATUSES,
    Bill,
    PatientPayment,
    PaymentCategory,
    PaymentLink,
)
from skinspire.collections.services.open_amount import LINK_OPEN_STATUSES, amount_not_requested
from skinspire.collections.services.outcomes import patient_payment_apply_result
from skinspire.core import locks
from skinspire.core.audit import audit_entry_record
from skinspire.core.errors import ApplicationError, ConflictError
from skinspire.core.models import User
from skinspire.core.money import format_inr
from skinspire.core.sms import message_delivery, sms_send
from skinspire.core.transitions import transition, transition_reported
from skinspire.gateways.errors import GatewayError
from skinspire.gateways.manager import run_with_fallback, select_configurations
from skinspire.gateways.models import Capability, GatewayConfiguration
from skinspire.gateways.providers.interface import (
    Customer,
    LinkStatus,
    PaymentLinkRequest,
    PaymentLinkResult,
    PaymentProvider,
    PaymentStatus,
)
from skinspire.gateways.providers.registry import provider_for

logger = logging.getLogger(__name__)

RECEIVED = {PaymentStatus.CAPTURED, PaymentStatus.REFUNDED}
OPEN_STATUSES = LINK_OPEN_STATUSES


def payment_link_create(
    *,
    actor: User,
    bill: Bill,
    expire_in_hours: int,
    amount: Decimal | str | None = None,
    notify_email: bool = False,
    notify_sms: bool = False,
    callback_url_for: Callable[[PaymentLink], str] | None = None,
) -> PaymentLink:
    if expire_in_hours not in EXPIRY_HOURS:
        raise ApplicationError(
            "A link expires in 24, 48 or 72 hours.", {"fields": {"expire_in_hours": ["24, 48 or 72."]}}
        )
    link = _link_record(actor=actor, bill=bill, amount=amount, expire_in_hours=expire_in_hours,
                        notify_email=notify_email, notify_sms=notify_sms)  # fmt: skip
    callback_url = callback_url_for(link) if callback_url_for else ""

    def create(gateway: PaymentProvider, configuration: GatewayConfiguration) -> PaymentLinkResult:
        if configuration.pk != link.configuration_id:
            link.configuration, link.source = configuration, configuration.provider
            link.save(update_fields=["configuration", "source", "updated_at"])
        return gateway.create_payment_link(_link_request(link=link, callback_url=callback_url))

    try:
        created, _ = run_with_fallback(hospital=link.hospital, branch=link.branch, capability=Capability.PAYMENT_LINKS,
                                       operation=create, allow_fallback=True)  # fmt: skip
    except GatewayError as error:
        if error.provably_failed:
            _link_not_issued(link=link, actor=actor, error=error)
        raise
    link.gateway_link_id, link.gateway_url = created.gateway_link_id, created.url
    link.save(update_fields=["gateway_link_id", "gateway_url", "updated_at"])
    audit_entry_record(action="payment_link.create", actor=actor, target=link,
                       changes={"amount": {"from": None, "to": link.amount}, "bill": {"from": None, "to": bill.number}})  # fmt: skip
    return link


@transaction.atomic
def _link_record(*, actor, bill, amount, expire_in_hours, notify_email, notify_sms) -> PaymentLink:
    locked = locks.lock_row(Bill, pk=bill.pk)
    configuration = select_configurations(
        hospital=locked.hospital, branch=locked.branch, capability=Capability.PAYMENT_LINKS
    )[0]
    return PaymentLink.objects.create(
        hospital_id=locked.hospital_id, branch_id=locked.branch_id, bill=locked,
        amount=amount_not_requested(bill=locked, amount=amount), source=configuration.provider,
        configuration=configuration, expires_at=timezone.now() + timedelta(hours=expire_in_hours),
        notify_email=notify_email, notify_sms=notify_sms, created_by=actor,
    )  # fmt: skip


def _link_not_issued(*, link: PaymentLink, actor: User, error: GatewayError) -> None:
    """The gateway provably made no link (it refused, or the request never left): ours is
    cancelled, so that it stops counting against the bill and no orphan stays open.

    An unknown outcome (a timeout, a 5xx) is not a failure: the gateway may hold a link the
    patient was sent and can pay. Ours then stays created, without the gateway's id, and
    keeps counting against the bill until it expires (when the gateway's link, made with
    the same expire_by, expires too), so no second link can ask for the same money."""
    reason = f"The gateway did not create the link: {error.message}"
    transition(instance=link, to="cancelled", reason=reason, actor=actor)
    audit_entry_record(action="payment_link.not_issued", actor=actor, target=link, message=error.message)


def _link_request(*, link: PaymentLink, callback_url: str) -> PaymentLinkRequest:
    patient = link.bill.patient
    return PaymentLinkRequest(
        amount=link.amount,
        reference_id=link.reference,
        customer=Customer(
            name=patient.name, email=patient.email, phone=patient.phone, customer_id=patient.patient_number
        ),  # fmt: skip
        description=f"{link.bill.get_category_display()} bill {link.bill.number}",
        expire_by=link.expires_at.replace(microsecond=0),
        notify_email=link.notify_email,
        notify_sms=link.notify_sms,
        callback_url=callback_url,
        notes={"bill": link.bill.number, "link": link.reference},
    )


def payment_link_resend(*, actor: User, link: PaymentLink, page_url: str) -> list[str]:
    """Send the patient our page for the link again, by e-mail and/or SMS as the link was
    first sent (the gateway's own notices went out at creation). Returns the channels used."""
    if link.status not in OPEN_STATUSES or link.expires_at <= timezone.now():
        raise ConflictError(f"Link {link.reference} is no longer open.", {"link_id": link.pk})
    if not link.gateway_link_id:
        # Our page shows only links the gateway confirmed: the patient would get "not found".
        raise ConflictError(_lost_link_unsendable(link), {"link_id": link.pk})
    patient = link.bill.patient
    channels = [name for name, wanted, address in (("email", link.notify_email, patient.email),
                                                   ("sms", link.notify_sms, patient.phone)) if wanted and address]  # fmt: skip
    if not channels:
        raise ApplicationError("The patient has no e-mail address or phone number for this link's notices.")
    context = {"link": link, "patient": patient, "url": page_url, "amount": format_inr(link.amount)}
    if "email" in channels:
        with message_delivery("email"):
            send_mail(subject=f"Pay your bill {link.bill.number} — {link.hospital}",
                      message=render_to_string("collections/link_email.txt", context), from_email=None,
                      recipient_list=[patient.email])  # fmt: skip
    if "sms" in channels:
        with message_delivery("sms"):
            sms_send(
                to=patient.phone,
                text=f"{link.hospital}: pay {context['amount']} for bill {link.bill.number} at {page_url}",
            )
    audit_entry_record(action="payment_link.resend", actor=actor, target=link, message=", ".join(channels))
    return channels


def _lost_link_unsendable(link: PaymentLink) -> str:
    from skinspire.collections.services.link_recovery import lost_link_findable, lost_link_refusal

    unsent = f"Link {link.reference} cannot be sent: the gateway has not answered its create, so there is no page to pay on."
    if lost_link_findable(link):
        return (
            f"{unsent} Cancel it (the gateway is asked for it first), or wait for the status sync to find it."
        )
    return f"{unsent} {lost_link_refusal(link)}"


def payment_link_cancel(
    *, actor: User | None, link: PaymentLink, reason: str = "Cancelled by staff"
) -> PaymentLink:
    """Cancel at the gateway, then here. `reason` goes in the history and, when no one asked
    (the bill was paid: services/paid_bills.py), in the audit entry's message."""
    if link.status not in OPEN_STATUSES:
        raise ConflictError(
            f"Link {link.reference} is {link.status} and cannot be cancelled.", {"link_id": link.pk}
        )
    if not link.gateway_link_id:
        link = _lost_link_cancel(actor=actor, link=link)
        if link.status == "cancelled":
            audit_entry_record(
                action="payment_link.cancel", actor=actor, target=link, message=_said(actor, reason)
            )
            return link
    gateway = _gateway(link)
    result = gateway.cancel_payment_link(link.gateway_link_id)
    payment_link_status_apply(link=link, result=result, reason=reason, actor=actor)
    audit_entry_record(action="payment_link.cancel", actor=actor, target=link, message=_said(actor, reason))
    link.refresh_from_db()
    return link


def _said(actor: User | None, reason: str) -> str:
    return "" if actor is not None else reason


def _lost_link_cancel(*, actor: User | None, link: PaymentLink) -> PaymentLink:
    """A link whose create answer was lost has no gateway id to cancel by: its gateway is asked
    for it by our reference first (services/link_recovery.py). Found and still open: it is
    cancelled by its id like any other. None there: ours is cancelled. Otherwise (the gateway
    cannot be asked, or the create may still be running) a 409 says what happens instead."""
    # Imported here: link_recovery builds on this module (settling a recovered link).
    from skinspire.collections.services.link_recovery import (
        lost_link_findable,
        lost_link_refusal,
        payment_link_recover,
    )

    if lost_link_findable(link):
        link = payment_link_recover(link=link, actor=actor)
    if link.status not in OPEN_STATUSES:
        if link.status == "cancelled":
            return link
        raise ConflictError(
            f"Link {link.reference} is {link.status} and cannot be cancelled.", {"link_id": link.pk}
        )
    if not link.gateway_link_id:
        raise ConflictError(lost_link_refusal(link), {"link_id": link.pk})
    return link


def payment_link_settle_from_gateway(
    *, link: PaymentLink, gateway_payment_id: str, gateway_order_id: str, reason: str, event_reference: str,
    bank_transaction_id: str = "",
) -> None:  # fmt: skip
    """Record every link payment the gateway confirms, then the link's own status.

    The payments are the one the caller names (a webhook, the patient's return) and every
    one the link itself lists, each with the order id it is looked up by: a Paytm link
    payment found only by the status sync is recorded too, not just the link's status."""
    gateway = _gateway(link)
    link_result = gateway.fetch_payment_link(link.gateway_link_id)
    if not link.gateway_url and link_result.url:
        # A link whose create answer was lost learnt its id from a webhook or a lookup; its
        # gateway URL (what our page hands over to) comes with the gateway's answer.
        PaymentLink.objects.filter(pk=link.pk, gateway_url="").update(
            gateway_url=link_result.url, updated_at=timezone.now()
        )
    for payment_id, order_id in _reported_payments(
        link, link_result, gateway_payment_id, gateway_order_id
    ).items():
        result = gateway.fetch_payment(gateway_payment_id=payment_id, gateway_order_id=order_id)
        if result.status in RECEIVED:
            payment = _link_payment(link=link, gateway_payment_id=result.gateway_payment_id,
                                    gateway_order_id=result.gateway_order_id or order_id, amount=result.amount)  # fmt: skip
            patient_payment_apply_result(payment=payment, result=result, reason=reason, event_reference=event_reference,
                                         bank_transaction_id=bank_transaction_id if payment_id == gateway_payment_id else "")  # fmt: skip
    payment_link_status_apply(link=link, result=link_result, reason=reason, event_reference=event_reference)


def _reported_payments(
    link: PaymentLink, result: PaymentLinkResult, gateway_payment_id: str, gateway_order_id: str
) -> dict[str, str]:
    """{payment id: order id} of the payments to look at: those not yet received here."""
    reported = dict(itertools.zip_longest(result.payment_ids, result.payment_order_ids, fillvalue=""))
    if gateway_payment_id:
        reported[gateway_payment_id] = gateway_order_id or reported.get(gateway_payment_id, "")
    received = set(
        PatientPayment.objects.filter(
            source=link.source,
            gateway_payment_id__in=[key for key in reported if key],
            status__in=RECEIVED_STATUSES,
        ).values_list("gateway_payment_id", flat=True)
    )
    return {key: value for key, value in reported.items() if key and key not in received}


def _link_payment(
    *, link: PaymentLink, gateway_payment_id: str, gateway_order_id: str, amount: Decimal
) -> PatientPayment:
    """Our row for a payment made on the link: one per gateway payment, however often asked."""
    existing = PatientPayment.objects.filter(
        source=link.source, gateway_payment_id=gateway_payment_id
    ).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            locks.lock_row(Bill, pk=link.bill_id)
            return PatientPayment.objects.create(
                hospital_id=link.hospital_id, branch_id=link.branch_id, bill_id=link.bill_id, payment_link=link,
                amount=amount, category=PaymentCategory.GATEWAY, source=link.source,
                configuration_id=link.configuration_id, gateway_order_id=gateway_order_id,
                gateway_payment_id=gateway_payment_id,
            )  # fmt: skip
    except IntegrityError:  # recorded at the same moment by the other arrival (webhook or return)
        return PatientPayment.objects.get(source=link.source, gateway_payment_id=gateway_payment_id)


def payment_link_status_apply(
    *,
    link: PaymentLink,
    result: PaymentLinkResult,
    reason: str,
    actor: User | None = None,
    event_reference: str = "",
) -> None:
    """What the gateway says of the link, forward only, under the link's row lock.

    Its answers may arrive out of order: a fetch made before a second payment, applied after
    the webhook that reported it, or two webhooks crossing. So the paid amount only grows
    (a smaller one is stale: logged, not written; the database refuses it too, migration
    0013) and the status only moves on (`transition_reported`: a stale or contrary one is
    recorded as ignored in the link's history, not raised for the inbox to retry)."""
    with transaction.atomic():
        locked = locks.lock_row(PaymentLink, pk=link.pk)
        if result.amount_paid > locked.amount_paid:
            PaymentLink.objects.filter(pk=link.pk).update(
                amount_paid=result.amount_paid, updated_at=timezone.now()
            )
        elif result.amount_paid < locked.amount_paid:
            logger.info("Link %s: the gateway's paid amount %s is older than ours, %s; kept ours.",
                        link.reference, result.amount_paid, locked.amount_paid)  # fmt: skip
        if result.status != LinkStatus.CREATED:
            transition_reported(instance=link, to=str(result.status), reason=reason, actor=actor,
                                event_reference=event_reference or f"link:{link.reference}")  # fmt: skip


def _gateway(link: PaymentLink) -> PaymentProvider:
    return provider_for(link.configuration)
