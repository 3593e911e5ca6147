"""Payments-side API: orders, payments, refunds, payment links."""

from django.urls import reverse

from skinspire.sandbox.razorpay import selectors
from skinspire.sandbox.razorpay.errors import id_not_found
from skinspire.sandbox.razorpay.services import links, notes, orders, payments, refunds
from skinspire.sandbox.razorpay.services.common import object_or_error
from skinspire.sandbox.selectors import sandbox_object_list


def order_create(request, merchant, data) -> dict:
    return orders.order_create(merchant=merchant, data=data).body


def notes_edit_view(entity: str):
    """PATCH /v1/<entities>/:id for an entity whose notes are all that can change."""

    def view(request, merchant, data, object_id: str) -> dict:
        return notes.notes_edit(merchant=merchant, entity=entity, object_id=object_id, data=data).body

    return view


def order_list(request, merchant, data) -> dict:
    queryset = selectors.objects_filtered(
        merchant=merchant, entity="order", params=data, body_filters=("receipt",)
    )
    return selectors.collection(queryset=queryset, params=data)


def order_payments(request, merchant, data, object_id: str) -> dict:
    object_or_error(merchant=merchant, entity="order", object_id=object_id)
    queryset = sandbox_object_list(merchant=merchant, entity="payment", parent_id=object_id)
    return selectors.collection(queryset=queryset, params={"count": 100, **data})


def payment_list(request, merchant, data) -> dict:
    return selectors.collection(
        queryset=sandbox_object_list(merchant=merchant, entity="payment"), params=data
    )


def payment_capture(request, merchant, data, object_id: str) -> dict:
    return payments.payment_capture(merchant=merchant, payment_id=object_id, data=data).body


def payment_refund(request, merchant, data, object_id: str) -> dict:
    key = request.headers.get("X-Refund-Idempotency", "")
    return refunds.refund_create(merchant=merchant, payment_id=object_id, data=data, idempotency_key=key).body


def refund_create(request, merchant, data) -> dict:
    key = request.headers.get("X-Refund-Idempotency", "")
    payment_id = str(data.get("payment_id") or "")
    body = {key_: value for key_, value in data.items() if key_ != "payment_id"}
    return refunds.refund_create(
        merchant=merchant, payment_id=payment_id, data=body, idempotency_key=key
    ).body


def payment_refunds(request, merchant, data, object_id: str) -> dict:
    object_or_error(merchant=merchant, entity="payment", object_id=object_id)
    queryset = sandbox_object_list(merchant=merchant, entity="refund", parent_id=object_id)
    return selectors.collection(queryset=queryset, params=data)


def payment_refund_fetch(request, merchant, data, object_id: str, refund_id: str) -> dict:
    refund = object_or_error(merchant=merchant, entity="refund", object_id=refund_id)
    if refund.parent_id != object_id:
        raise id_not_found()
    return refund.body


def refund_list(request, merchant, data) -> dict:
    return selectors.collection(queryset=sandbox_object_list(merchant=merchant, entity="refund"), params=data)


def _short_url_builder(request):
    def short_url_for(link_id: str) -> str:
        return request.build_absolute_uri(reverse("sandbox:razorpay-link-page", args=[link_id]))

    return short_url_for


def payment_link_create(request, merchant, data) -> dict:
    return links.payment_link_create(
        merchant=merchant, data=data, short_url_for=_short_url_builder(request)
    ).body


def payment_link_list(request, merchant, data) -> dict:
    queryset = selectors.objects_filtered(
        merchant=merchant, entity="payment_link", params=data, body_filters=("reference_id",)
    )
    found = [links.payment_link_expire_if_due(link=link).body for link in queryset]
    if data.get("payment_id"):
        found = [
            link
            for link in found
            if any(p["payment_id"] == data["payment_id"] for p in link["payments"] or [])
        ]
    # Razorpay's one list without the collection envelope (fixture payment_link_collection.json).
    return {"payment_links": found}


def payment_link_fetch(request, merchant, data, object_id: str) -> dict:
    link = object_or_error(merchant=merchant, entity="payment_link", object_id=object_id)
    return links.payment_link_expire_if_due(link=link).body


def payment_link_edit(request, merchant, data, object_id: str) -> dict:
    return links.payment_link_edit(merchant=merchant, link_id=object_id, data=data).body


def payment_link_cancel(request, merchant, data, object_id: str) -> dict:
    return links.payment_link_cancel(merchant=merchant, link_id=object_id).body


def payment_link_notify(request, merchant, data, object_id: str, medium: str) -> dict:
    return links.payment_link_notify(merchant=merchant, link_id=object_id, medium=medium)
