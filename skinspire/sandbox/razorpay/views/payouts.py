"""RazorpayX API: contacts, fund accounts, payouts, payout links."""

from django.urls import reverse

from skinspire.sandbox.razorpay import magic, selectors
from skinspire.sandbox.razorpay.errors import SERVER_ERROR, RazorpayApiError
from skinspire.sandbox.razorpay.services import contacts, payout_links, payouts
from skinspire.sandbox.razorpay.services.common import account_number_check


def contact_list(request, merchant, data) -> dict:
    queryset = selectors.objects_filtered(
        merchant=merchant,
        entity="contact",
        params=data,
        body_filters=("name", "email", "contact", "reference_id", "type"),
    )
    return selectors.collection(queryset=queryset, params=data)


def fund_account_list(request, merchant, data) -> dict:
    queryset = selectors.objects_filtered(
        merchant=merchant, entity="fund_account", params=data, body_filters=("contact_id", "account_type")
    )
    return selectors.collection(queryset=queryset, params=data)


def contact_create(request, merchant, data) -> dict:
    return contacts.contact_create(merchant=merchant, data=data).body


def fund_account_create(request, merchant, data) -> dict:
    return contacts.fund_account_create(merchant=merchant, data=data).body


def payout_create(request, merchant, data) -> dict:
    key = request.headers.get(payouts.IDEMPOTENCY_HEADER, "")
    payout, created = payouts.payout_create(merchant=merchant, data=data, idempotency_key=key)
    reference_id = payout.body.get("reference_id") or ""
    if created and reference_id.startswith(magic.PAYOUT_REFERENCE_TIMEOUT_PREFIX):
        # Magic value: the payout exists but the caller is told the gateway timed out, so
        # its outcome is unknown until it retries with the same key or looks it up.
        raise RazorpayApiError(
            "Gateway timed out while processing the request",
            status_code=504,
            code=SERVER_ERROR,
            source="internal",
            step="NA",
            reason="gateway_timeout",
        )
    return payout.body


def payout_list(request, merchant, data) -> dict:
    account_number_check(merchant=merchant, value=data.get("account_number"))
    queryset = selectors.objects_filtered(
        merchant=merchant,
        entity="payout",
        params=data,
        body_filters=("fund_account_id", "mode", "reference_id", "status"),
    )
    if data.get("contact_id"):
        queryset = queryset.filter(meta__fund_account__contact_id=data["contact_id"])
    return selectors.collection(queryset=queryset, params=data)


def payout_cancel(request, merchant, data, object_id: str) -> dict:
    return payouts.payout_cancel(merchant=merchant, payout_id=object_id).body


def payout_link_create(request, merchant, data) -> dict:
    def short_url_for(link_id: str) -> str:
        return request.build_absolute_uri(reverse("sandbox:razorpay-payout-link-page", args=[link_id]))

    return payout_links.payout_link_create(merchant=merchant, data=data, short_url_for=short_url_for).body


def payout_link_list(request, merchant, data) -> dict:
    queryset = selectors.objects_filtered(
        merchant=merchant,
        entity="payout_link",
        params=data,
        body_filters=("id", "contact_id", "fund_account_id", "purpose", "status", "receipt", "short_url"),
    )
    if data.get("contact_phone_number"):
        queryset = queryset.filter(body__contact__contact=data["contact_phone_number"])
    if data.get("contact_email"):
        queryset = queryset.filter(body__contact__email=data["contact_email"])
    return selectors.collection(queryset=queryset, params=data)


def payout_link_cancel(request, merchant, data, object_id: str) -> dict:
    return payout_links.payout_link_cancel(merchant=merchant, link_id=object_id).body
