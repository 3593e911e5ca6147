"""RazorpayX payout links: POST/GET /v1/payout-links, GET .../:id, POST .../:id/cancel
(reference §2.9).

A link is `issued` with a `short_url`, the page where the recipient claims it
(payout_link_claims.py).
"""

from collections.abc import Callable

from django.db import transaction

from skinspire.sandbox.ids import object_id_new
from skinspire.sandbox.models import SandboxMerchant, SandboxObject
from skinspire.sandbox.razorpay import validation
from skinspire.sandbox.razorpay.errors import payout_invalid_field
from skinspire.sandbox.razorpay.events import event_emit
from skinspire.sandbox.razorpay.services.common import now_unix, object_or_error
from skinspire.sandbox.razorpay.services.contacts import contact_create
from skinspire.sandbox.razorpay.services.payout_link_claims import payout_link_expire_if_due
from skinspire.sandbox.razorpay.services.payouts import PURPOSES
from skinspire.sandbox.services import sandbox_object_create, sandbox_object_save

# https://razorpay.com/docs/api/x/payout-links/create/use-contact-id/
PAYOUT_LINK_FIELDS = frozenset(
    {"account_number", "contact", "amount", "currency", "purpose", "description", "receipt",
     "send_sms", "send_email", "notes", "expire_by"}
)  # fmt: skip


def payout_link_create(
    *, merchant: SandboxMerchant, data: dict, short_url_for: Callable[[str], str]
) -> SandboxObject:
    error = payout_invalid_field
    validation.fields_allowed(data, PAYOUT_LINK_FIELDS, error=error)
    if str(data.get("account_number") or "") != merchant.account_number:
        raise error("The account number is invalid.", field="account_number")
    amount = validation.amount_required(data, error=error)
    currency = validation.currency_inr(data, error=error)
    purpose = validation.choice_required(data, "purpose", choices=PURPOSES, error=error)
    description = validation.string_optional(data, "description", max_length=255, error=error)
    if not description:
        raise error("The description field is required.", field="description")
    contact_data = data.get("contact")
    if not isinstance(contact_data, dict):
        raise error("The contact field is required.", field="contact")
    with transaction.atomic():
        if contact_data.get("id"):
            contact = object_or_error(merchant=merchant, entity="contact", object_id=contact_data["id"])
        else:
            contact = contact_create(merchant=merchant, data=contact_data)
        link_id = object_id_new(prefix="poutlk")
        body = {
            "id": link_id,
            "entity": "payout_link",
            "contact_id": contact.object_id,
            "contact": {key: contact.body.get(key) for key in ("name", "email", "contact")},
            "fund_account_id": None,
            "payout_id": None,
            "purpose": purpose,
            "status": "issued",
            "amount": amount,
            "currency": currency,
            "description": description,
            "short_url": short_url_for(link_id),
            "attempt_count": 0,
            "receipt": validation.string_optional(data, "receipt", max_length=40, error=error),
            "notes": validation.notes_optional(data, error=error),
            "send_sms": validation.boolean_optional(data, "send_sms", default=False, error=error),
            "send_email": validation.boolean_optional(data, "send_email", default=False, error=error),
            "cancelled_at": None,
            "expire_by": validation.integer_value(data.get("expire_by")),
            "expired_at": None,
            "created_at": now_unix(),
        }
        link = sandbox_object_create(
            merchant=merchant, entity="payout_link", body=body, parent_id=contact.object_id
        )
        # No approval workflow in the sandbox, so a new link is issued at once.
        event_emit(
            merchant=merchant, event="payout_link.issued", entities={"payout_link": body}, object_id=link_id
        )
    return link


def payout_link_cancel(*, merchant: SandboxMerchant, link_id: str) -> SandboxObject:
    """Only an `issued` link can be cancelled (https://razorpay.com/docs/api/x/payout-links/cancel/)."""
    with transaction.atomic():
        link = object_or_error(merchant=merchant, entity="payout_link", object_id=link_id, for_update=True)
        link = payout_link_expire_if_due(link=link)
        if link.body["status"] != "issued":
            # The wording is assumed: Razorpay does not publish this error's text.
            raise payout_invalid_field(
                f"Payout link cannot be cancelled in {link.body['status']} state", field=None
            )
        link.body.update(status="cancelled", cancelled_at=now_unix())
        sandbox_object_save(sandbox_object=link)
        event_emit(
            merchant=merchant,
            event="payout_link.cancelled",
            entities={"payout_link": link.body},
            object_id=link.object_id,
        )
    return link
