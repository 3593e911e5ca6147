"""Which actions a payment's page offers this person: by its status and their role.

Only what to show: the API and the services decide, and refuse anything else (a maker's
own approval, a stale status) with a message the page displays.
"""

from dataclasses import dataclass

from django.urls import reverse

from skinspire.core.permissions import user_has_role
from skinspire.core.roles import ROLE_PAYMENT_APPROVER, ROLE_PAYMENTS_STAFF
from skinspire.payouts.models import PaymentMethod, SupplierPayment
from skinspire.payouts.services.payout_links import payout_link_resend_channels

AT_THE_GATEWAY = {"submitted", "unknown", "processing"}
CANCELLABLE = {"draft", "pending_approval", "approved"}
CHANNEL_LABELS = {"email": "e-mail", "sms": "SMS"}


@dataclass(frozen=True)
class Action:
    name: str  # refresh, retry, cancel, approve, reject, resend
    label: str
    method: str
    url: str
    needs_reason: bool = False
    confirm: str = ""
    next: str = ""  # where to go after (a retry is a new payment)


def payment_actions(payment: SupplierPayment, user) -> list[Action]:
    payer = user_has_role(user, ROLE_PAYMENTS_STAFF)
    approver = user_has_role(user, ROLE_PAYMENT_APPROVER)
    is_gateway = payment.method != PaymentMethod.MANUAL
    actions = []
    if is_gateway and payment.status in AT_THE_GATEWAY and (payer or approver):
        url = reverse("payouts-check-status", args=[payment.pk])
        actions.append(Action("refresh", "Refresh status from the gateway", "GET", url))
    if payment.status == "pending_approval" and approver and payment.created_by_id != user.pk:
        actions.append(
            Action("approve", "Approve", "POST", reverse("payouts-payment-approve", args=[payment.pk]))
        )
        actions.append(
            Action(
                "reject",
                "Reject",
                "POST",
                reverse("payouts-payment-reject", args=[payment.pk]),
                needs_reason=True,
            )
        )
    # A failed payout link is not retried (services/retry.py): a new link is a new payment.
    if payment.method == PaymentMethod.GATEWAY_PAYOUT and payment.status == "failed" and payer:
        url = reverse("payouts-payment-retry", args=[payment.pk])
        confirm = "Send this payment again, as a new payment with a new idempotency key?"
        actions.append(
            Action("retry", "Retry as a new payment", "POST", url, confirm=confirm, next=_detail_pattern())
        )
    link_open = payment.method == PaymentMethod.PAYOUT_LINK and payment.payout_link_status == "issued"
    if link_open and payment.status == "processing" and payer:
        url = reverse("payouts-payment-resend-link", args=[payment.pk])
        # Named by the channels the service will use; with none (no e-mail address or phone)
        # the API's refusal says what to add.
        channels = [CHANNEL_LABELS[name] for name in payout_link_resend_channels(payment)]
        label = f"Resend the link by {' and '.join(channels)}" if channels else "Resend the link"
        actions.append(Action("resend", label, "POST", url))
    if (payment.status in CANCELLABLE or (link_open and payment.status == "processing")) and payer:
        url = reverse("payouts-payment-cancel", args=[payment.pk])
        label = "Cancel the payout link" if link_open else "Cancel payment"
        actions.append(Action("cancel", label, "POST", url, needs_reason=True))
    return actions


def _detail_pattern() -> str:
    return reverse("workspace-payout-detail", args=[0]).replace("/0/", "/{id}/")
