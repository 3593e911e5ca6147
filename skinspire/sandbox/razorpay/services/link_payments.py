"""Paying a payment link on its hosted page, in full or (with `accept_partial`) in part.

A partial payment moves the link to `partially_paid` with `amount_paid`; paying the rest
makes it `paid` (https://razorpay.com/docs/payments/payment-links/partial-payments/). The
first payment must be at least `first_min_partial_amount` when that is set.
"""

from django.db import transaction

from skinspire.core.money import format_inr, paise_to_rupees
from skinspire.sandbox.models import SandboxMerchant, SandboxObject
from skinspire.sandbox.razorpay.errors import RazorpayApiError, invalid_field
from skinspire.sandbox.razorpay.events import event_emit
from skinspire.sandbox.razorpay.services.common import now_unix, object_or_error
from skinspire.sandbox.razorpay.services.links import OPEN_STATUSES, payment_link_expire_if_due
from skinspire.sandbox.razorpay.services.payments import CheckoutChoice, payment_checkout
from skinspire.sandbox.services import sandbox_object_save


def payment_link_pay(*, merchant: SandboxMerchant, link_id: str, choice: CheckoutChoice) -> SandboxObject:
    """The patient pays on the link's page (`choice.amount`: None = what is due). Returns the payment."""
    link = object_or_error(merchant=merchant, entity="payment_link", object_id=link_id)
    link = payment_link_expire_if_due(link=link)
    with transaction.atomic():
        link = SandboxObject.objects.select_for_update().get(pk=link.pk)
        if link.body["status"] not in OPEN_STATUSES:
            raise RazorpayApiError(f"This payment link is {link.body['status']}")
        _amount_check(link=link.body, amount=choice.amount)
        payment = payment_checkout(merchant=merchant, order_id=link.body["order_id"], choice=choice)
        if payment.body["status"] == "captured":
            _link_paid(link=link, payment=payment)
    return payment


def _amount_check(*, link: dict, amount: int | None) -> None:
    due = link["amount"] - link["amount_paid"]
    if amount is None or amount == due:
        return
    if not link["accept_partial"]:
        raise invalid_field(f"The amount must be {format_inr(paise_to_rupees(due))}.", field="amount")
    first_minimum = link["first_min_partial_amount"] if link["amount_paid"] == 0 else 0
    if first_minimum and amount < first_minimum:
        minimum = format_inr(paise_to_rupees(first_minimum))
        raise invalid_field(f"The first payment must be at least {minimum}.", field="amount")


def _link_paid(*, link: SandboxObject, payment: SandboxObject) -> None:
    now = now_unix()
    body = link.body
    body["amount_paid"] += payment.body["amount"]
    body["status"] = "paid" if body["amount_paid"] >= body["amount"] else "partially_paid"
    body["payments"] = (body["payments"] or []) + [
        {
            "amount": payment.body["amount"],
            "created_at": payment.body["created_at"],
            "method": payment.body["method"],
            "payment_id": payment.object_id,
            "plink_id": link.object_id,
            "status": "captured",
            "updated_at": now,
        }
    ]
    body["updated_at"] = now
    sandbox_object_save(sandbox_object=link)
    order = SandboxObject.objects.get(entity="order", object_id=body["order_id"])
    event_emit(
        merchant=link.merchant,
        event=f"payment_link.{body['status']}",
        entities={"payment_link": body, "order": order.body, "payment": payment.body},
        object_id=link.object_id,
    )
