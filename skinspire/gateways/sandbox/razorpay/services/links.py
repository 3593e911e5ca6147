"""Payment links: /v1/payment_links (reference §3.4) and paying one on its hosted page."""

from collections.abc import Callable

from django.db import transaction

from skinspire.gateways.sandbox.ids import object_id_new
from skinspire.gateways.sandbox.models import SandboxMerchant, SandboxObject
from skinspire.gateways.sandbox.razorpay import validation
from skinspire.gateways.sandbox.razorpay.errors import RazorpayApiError, invalid_field
from skinspire.gateways.sandbox.razorpay.events import event_emit
from skinspire.gateways.sandbox.razorpay.services.common import now_unix, object_or_error
from skinspire.gateways.sandbox.razorpay.services.orders import order_build
from skinspire.gateways.sandbox.razorpay.services.payments import CheckoutChoice, payment_checkout
from skinspire.gateways.sandbox.services import sandbox_object_create, sandbox_object_save

SIX_MONTHS_SECONDS = 183 * 24 * 3600
OPEN_STATUSES = {"created", "partially_paid"}


def payment_link_create(
    *, merchant: SandboxMerchant, data: dict, short_url_for: Callable[[str], str]
) -> SandboxObject:
    """`short_url_for(plink_id)` gives the hosted page's absolute URL."""
    fields = _link_fields(merchant=merchant, data=data)
    with transaction.atomic():
        order = order_build(merchant=merchant, amount=fields["amount"], notes=fields["notes"])
        link_id = object_id_new(prefix="plink")
        now = now_unix()
        body = {
            **fields,
            "amount_paid": 0,
            "cancelled_at": 0,
            "created_at": now,
            "expired_at": 0,
            "id": link_id,
            "order_id": order.object_id,
            "payments": None,
            "reminders": [],
            "short_url": short_url_for(link_id),
            "status": "created",
            "updated_at": now,
            "user_id": "",
        }
        return sandbox_object_create(
            merchant=merchant, entity="payment_link", body=dict(sorted(body.items()))
        )


def _link_fields(*, merchant: SandboxMerchant, data: dict) -> dict:
    amount = validation.amount_required(data)
    accept_partial = validation.boolean_optional(data, "accept_partial", default=False)
    reference_id = validation.string_optional(data, "reference_id", max_length=40) or ""
    _reference_unique(merchant=merchant, reference_id=reference_id)
    callback_url = validation.string_optional(data, "callback_url", max_length=2048)
    callback_method = validation.string_optional(data, "callback_method", max_length=10)
    if callback_url and callback_method != "get":
        raise invalid_field("callback_method should be get when callback_url is set", field="callback_method")
    partial_minimum = validation.integer_optional(data, "first_min_partial_amount")
    return {
        "accept_partial": accept_partial,
        "amount": amount,
        "callback_method": callback_method or "",
        "callback_url": callback_url or "",
        "currency": validation.currency_inr(data, required=False),
        "customer": validation.mapping_optional(data, "customer", value_types=(str,)) or {},
        "description": validation.string_optional(data, "description", max_length=2048) or "",
        "expire_by": _expire_by(data),
        "first_min_partial_amount": partial_minimum or 0 if accept_partial else 0,
        "notes": validation.notes_optional(data) or None,
        "notify": validation.mapping_optional(data, "notify", value_types=(bool,))
        or {"email": False, "sms": False},
        "reference_id": reference_id,
        "reminder_enable": validation.boolean_optional(data, "reminder_enable", default=False),
        "upi_link": validation.boolean_optional(data, "upi_link", default=False),
    }


def _reference_unique(*, merchant: SandboxMerchant, reference_id: str, exclude_id: str = "") -> None:
    if not reference_id:
        return
    clash = SandboxObject.objects.filter(
        merchant=merchant, entity="payment_link", body__reference_id=reference_id
    ).exclude(object_id=exclude_id)
    if clash.exists():
        raise invalid_field(
            f"Payment Link with reference id {reference_id} already exists", field="reference_id"
        )


def _expire_by(data: dict) -> int:
    if data.get("expire_by") in (None, 0, ""):
        return 0
    expire_by = validation.integer_value(data["expire_by"])
    now = now_unix()
    if expire_by is None or expire_by <= now:
        raise invalid_field("The expire by date should be a future timestamp", field="expire_by")
    if expire_by > now + SIX_MONTHS_SECONDS:
        raise invalid_field("The expire by date cannot be more than 6 months from now", field="expire_by")
    return expire_by


def payment_link_expire_if_due(*, link: SandboxObject) -> SandboxObject:
    """Links expire on their own at `expire_by`; checked on access and by a periodic task."""
    body = link.body
    if body["status"] not in OPEN_STATUSES or not body["expire_by"] or body["expire_by"] > now_unix():
        return link
    with transaction.atomic():
        link = SandboxObject.objects.select_for_update().get(pk=link.pk)
        if link.body["status"] not in OPEN_STATUSES:
            return link
        link.body.update(status="expired", expired_at=now_unix(), updated_at=now_unix())
        sandbox_object_save(sandbox_object=link)
        event_emit(
            merchant=link.merchant,
            event="payment_link.expired",
            entities={"payment_link": link.body},
            object_id=link.object_id,
        )
    return link


def payment_link_expire_due() -> int:
    expired = 0
    for link in SandboxObject.objects.filter(entity="payment_link", status__in=OPEN_STATUSES):
        if payment_link_expire_if_due(link=link).body["status"] == "expired":
            expired += 1
    return expired


def payment_link_edit(*, merchant: SandboxMerchant, link_id: str, data: dict) -> SandboxObject:
    with transaction.atomic():
        link = object_or_error(merchant=merchant, entity="payment_link", object_id=link_id, for_update=True)
        if link.body["status"] not in OPEN_STATUSES:
            raise RazorpayApiError(f"Payment Link cannot be updated in {link.body['status']} state")
        if "reference_id" in data:
            reference_id = validation.string_optional(data, "reference_id", max_length=40) or ""
            _reference_unique(merchant=merchant, reference_id=reference_id, exclude_id=link_id)
            link.body["reference_id"] = reference_id
        if "expire_by" in data:
            link.body["expire_by"] = _expire_by(data)
        if "notes" in data:
            link.body["notes"] = validation.notes_optional(data) or None
        if "accept_partial" in data:
            link.body["accept_partial"] = validation.boolean_optional(data, "accept_partial", default=False)
        link.body["updated_at"] = now_unix()
        return sandbox_object_save(sandbox_object=link)


def payment_link_cancel(*, merchant: SandboxMerchant, link_id: str) -> SandboxObject:
    with transaction.atomic():
        link = object_or_error(merchant=merchant, entity="payment_link", object_id=link_id, for_update=True)
        if link.body["status"] not in OPEN_STATUSES:
            raise RazorpayApiError(f"Payment Link cannot be cancelled in {link.body['status']} state")
        link.body.update(status="cancelled", cancelled_at=now_unix(), updated_at=now_unix())
        sandbox_object_save(sandbox_object=link)
        event_emit(
            merchant=merchant,
            event="payment_link.cancelled",
            entities={"payment_link": link.body},
            object_id=link.object_id,
        )
    return link


def payment_link_pay(*, merchant: SandboxMerchant, link_id: str, choice: CheckoutChoice) -> SandboxObject:
    """The patient pays what is due on the link's page. Returns the payment."""
    link = object_or_error(merchant=merchant, entity="payment_link", object_id=link_id)
    link = payment_link_expire_if_due(link=link)
    with transaction.atomic():
        link = SandboxObject.objects.select_for_update().get(pk=link.pk)
        if link.body["status"] not in OPEN_STATUSES:
            raise RazorpayApiError(f"This payment link is {link.body['status']}")
        payment = payment_checkout(merchant=merchant, order_id=link.body["order_id"], choice=choice)
        if payment.body["status"] == "captured":
            _link_paid(link=link, payment=payment)
    return payment


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
