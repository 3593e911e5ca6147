"""Payment links: /v1/payment_links (reference §3.4). Paying one: `link_payments`."""

from collections.abc import Callable

from django.db import transaction

from skinspire.sandbox.ids import object_id_new
from skinspire.sandbox.models import SandboxMerchant, SandboxObject
from skinspire.sandbox.razorpay import validation
from skinspire.sandbox.razorpay.errors import RazorpayApiError, invalid_field
from skinspire.sandbox.razorpay.events import event_emit
from skinspire.sandbox.razorpay.services.common import now_unix, object_or_error
from skinspire.sandbox.razorpay.services.orders import order_build
from skinspire.sandbox.services import sandbox_object_create, sandbox_object_save

SIX_MONTHS_SECONDS = 183 * 24 * 3600
# https://razorpay.com/docs/api/payments/payment-links/create-standard/ (Errors).
MINIMUM_EXPIRY_SECONDS = 15 * 60
OPEN_STATUSES = {"created", "partially_paid"}
LINK_FIELDS = frozenset(
    {"amount", "currency", "accept_partial", "first_min_partial_amount", "description", "reference_id",
     "customer", "expire_by", "notify", "reminder_enable", "notes", "callback_url", "callback_method",
     "upi_link"}
)  # fmt: skip
LINK_EDIT_FIELDS = frozenset({"reference_id", "expire_by", "notes", "accept_partial"})  # reference §3.4
NOTIFY_MEDIUMS = {"sms", "email"}


def payment_link_create(
    *, merchant: SandboxMerchant, data: dict, short_url_for: Callable[[str], str]
) -> SandboxObject:
    """`short_url_for(plink_id)` gives the hosted page's absolute URL."""
    validation.fields_allowed(data, LINK_FIELDS)
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
    upi_link = validation.boolean_optional(data, "upi_link", default=False)
    _partial_allowed(accept_partial=accept_partial, upi_link=upi_link)
    reference_id = validation.string_optional(data, "reference_id", max_length=40) or ""
    _reference_unique(merchant=merchant, reference_id=reference_id)
    callback_url = validation.string_optional(data, "callback_url", max_length=2048)
    callback_method = validation.string_optional(data, "callback_method", max_length=10)
    if callback_url and callback_method != "get":
        raise invalid_field("callback_method should be get when callback_url is set", field="callback_method")
    return {
        "accept_partial": accept_partial,
        "amount": amount,
        "callback_method": callback_method or "",
        "callback_url": callback_url or "",
        "currency": validation.currency_inr(data, required=False),
        "customer": validation.mapping_optional(data, "customer", value_types=(str,)) or {},
        "description": validation.string_optional(data, "description", max_length=2048) or "",
        "expire_by": _expire_by(data),
        "first_min_partial_amount": _first_min_partial(data, amount=amount) if accept_partial else 0,
        "notes": validation.notes_optional(data) or None,
        "notify": validation.mapping_optional(data, "notify", value_types=(bool,))
        or {"email": False, "sms": False},
        "reference_id": reference_id,
        "reminder_enable": validation.boolean_optional(data, "reminder_enable", default=False),
        "upi_link": upi_link,
    }


def _partial_allowed(*, accept_partial: bool, upi_link: bool) -> None:
    if accept_partial and upi_link:
        raise invalid_field("partial payment not supported in upi link", field="accept_partial")


def _first_min_partial(data: dict, *, amount: int) -> int:
    """The least the first payment may be (0: any amount); at least ₹1, at most the link."""
    if data.get("first_min_partial_amount") in (None, 0, ""):
        return 0
    minimum = validation.amount_required(data, field="first_min_partial_amount")
    if minimum > amount:
        raise invalid_field(
            "The first min partial amount may not be greater than the amount.",
            field="first_min_partial_amount",
        )
    return minimum


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
    if expire_by is None:
        raise invalid_field("The expire by must be an integer.", field="expire_by")
    if expire_by < now + MINIMUM_EXPIRY_SECONDS:
        raise invalid_field("timestamp must be atleast 15 minutes in future", field="expire_by")
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
    validation.fields_allowed(data, LINK_EDIT_FIELDS)
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
            accept_partial = validation.boolean_optional(data, "accept_partial", default=False)
            _partial_allowed(accept_partial=accept_partial, upi_link=link.body["upi_link"])
            link.body["accept_partial"] = accept_partial
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


def payment_link_notify(*, merchant: SandboxMerchant, link_id: str, medium: str) -> dict:
    """POST /v1/payment_links/:id/notify_by/:medium → `{"success": true}`
    (https://razorpay.com/docs/api/payments/payment-links/resend/). The sandbox sends no
    SMS or e-mail; it records the request on the link (`meta["notifications"]`).
    """
    if medium not in NOTIFY_MEDIUMS:
        raise invalid_field("not a valid notification medium", field=None)
    with transaction.atomic():
        link = object_or_error(merchant=merchant, entity="payment_link", object_id=link_id, for_update=True)
        if link.body["status"] not in OPEN_STATUSES:
            # Assumed (unpublished): a closed link cannot be re-sent, like edit and cancel.
            raise RazorpayApiError(f"Payment Link cannot be notified in {link.body['status']} state")
        link.meta["notifications"] = [
            *link.meta.get("notifications", []),
            {"medium": medium, "at": now_unix()},
        ]
        sandbox_object_save(sandbox_object=link)
    return {"success": True}
