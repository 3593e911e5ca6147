"""Razorpay collections: orders, checkout signatures, payments, payment links (reference §3, §4.1)."""

import hashlib
import hmac
from decimal import Decimal
from typing import Any

from razorpay.errors import SignatureVerificationError

from skinspire.core.money import rupees_to_paise
from skinspire.gateways.errors import GatewayNotFoundError, InvalidGatewayRequestError
from skinspire.gateways.providers.interface import (
    CheckoutVerification,
    OrderRequest,
    OrderResult,
    PaymentLinkRequest,
    PaymentLinkResult,
    PaymentResult,
)
from skinspire.gateways.providers.razorpay.client import RazorpayBase
from skinspire.gateways.providers.razorpay.errors import PROVIDER
from skinspire.gateways.providers.razorpay.mapping import order_result, payment_link_result, payment_result

# Razorpay's Hosted Checkout page, on the API host: the browser POSTs a form there.
HOSTED_CHECKOUT_PATH = "/v1/checkout/embedded"
MINIMUM_ORDER_PAISE = 100  # "The amount must be at least INR 1.00" (reference §1)
# Which of an order's payments answers "how did this order go": captured beats authorized
# beats anything else; among equals, the latest.
PAYMENT_RANK = {"captured": 0, "refunded": 0, "authorized": 1}
# The payment link callback's query (reference §4.2), in the order they are signed.
LINK_CALLBACK_SIGNED = (
    "razorpay_payment_link_id",
    "razorpay_payment_link_reference_id",
    "razorpay_payment_link_status",
    "razorpay_payment_id",
)


def customer_body(name: str, email: str, phone: str) -> dict[str, str]:
    body = {"name": name, "email": email, "contact": phone}
    return {key: value for key, value in body.items() if value}


def hosted_checkout_fields(
    *, key_id: str, order_id: str, prefill: dict[str, str], request: OrderRequest
) -> dict[str, str]:
    """The Hosted Checkout form: key_id and order_id, callback_url (where Razorpay's page
    POSTs razorpay_payment_id, razorpay_order_id and razorpay_signature), cancel_url, the
    name and description shown, prefill[...]
    (razorpay.com/docs/payments/payment-gateway/web-integration/hosted/integration-steps)."""
    fields = {"key_id": key_id, "order_id": order_id}
    optional = {
        "name": request.merchant_name,
        "description": request.description,
        "callback_url": request.callback_url,
        "cancel_url": request.cancel_url,
    }
    fields.update({name: value for name, value in optional.items() if value})
    fields.update({f"prefill[{name}]": value for name, value in prefill.items()})
    return fields


def best_payment(items: list[dict[str, Any]]) -> dict[str, Any]:
    latest_first = sorted(items, key=lambda item: item.get("created_at") or 0, reverse=True)
    return min(latest_first, key=lambda item: PAYMENT_RANK.get(str(item.get("status")), 2))


class PaymentOperations(RazorpayBase):
    def create_order(self, request: OrderRequest) -> OrderResult:
        paise = rupees_to_paise(request.amount)
        if paise < MINIMUM_ORDER_PAISE:
            raise InvalidGatewayRequestError("A Razorpay order must be at least ₹1.00.", provider=PROVIDER)
        body = {
            "amount": paise,
            "currency": "INR",
            "receipt": request.receipt[:40],
            "notes": dict(request.notes),
        }
        answer = self.call(
            "create_order", self.client.order.create, body, object_ref=f"order:{request.receipt}"
        )
        return order_result(answer, checkout=self.checkout(answer, request))

    def find_order(self, *, receipt: str) -> OrderResult:
        """GET /v1/orders?receipt=... ("Retrieves the orders that contain the provided value
        for receipt", razorpay.com/docs/api/orders/fetch-all); the exact receipt, newest first."""
        receipt = receipt[:40]  # as create_order sent it
        answer = self.call(
            "find_order",
            self.client.order.all,
            {"receipt": receipt, "count": 100},
            object_ref=f"order:{receipt}",
        )
        matching = [item for item in answer.get("items") or [] if item.get("receipt") == receipt]
        if not matching:
            raise GatewayNotFoundError(
                f"Razorpay has no order with the receipt {receipt}.", provider=PROVIDER, code="not_found"
            )
        newest = max(matching, key=lambda item: item.get("created_at") or 0)
        return order_result(newest, checkout={})

    def checkout(self, order: dict[str, Any], request: OrderRequest) -> dict[str, Any]:
        """What the browser needs to pay this order, for either of Razorpay's web checkouts
        (the key id is public):
        - Standard Checkout: our page loads checkout.js from checkout.razorpay.com and opens
          it with key_id, order_id, amount, currency, prefill and callback_url;
        - Hosted Checkout: the browser POSTs `checkout_fields` to `checkout_url`, the API
          host's /v1/checkout/embedded, and pays on the gateway's page, which POSTs the
          result to callback_url. Any host that speaks Razorpay's protocol serves that path,
          so the URL follows the configuration's base URL and nothing here knows which it is.
        """
        prefill = customer_body(request.customer.name, request.customer.email, request.customer.phone)
        checkout: dict[str, Any] = {
            "key_id": self.credentials.value("key_id"),
            "order_id": order["id"],
            "amount_paise": order.get("amount"),
            "currency": order.get("currency") or "INR",
            "prefill": prefill,
            "checkout_url": f"{self.credentials.base_url}{HOSTED_CHECKOUT_PATH}",
            "checkout_fields": hosted_checkout_fields(
                key_id=self.credentials.value("key_id"),
                order_id=order["id"],
                prefill=prefill,
                request=request,
            ),
        }
        if request.callback_url:
            checkout["callback_url"] = request.callback_url
        return checkout

    def verify_checkout(self, verification: CheckoutVerification) -> bool:
        """HMAC over "<our stored order id>|<payment id>" with the key secret (reference §4.1)."""
        if not (verification.gateway_order_id and verification.gateway_payment_id and verification.signature):
            return False
        try:
            return bool(
                self.client.utility.verify_payment_signature(
                    {
                        "razorpay_order_id": verification.gateway_order_id,
                        "razorpay_payment_id": verification.gateway_payment_id,
                        "razorpay_signature": verification.signature,
                    }
                )
            )
        except SignatureVerificationError:
            return False

    def payment_link_callback_link_id(self, params: dict[str, str]) -> str:
        # The first of the signed fields (reference §4.2).
        return str(params.get("razorpay_payment_link_id") or "")

    def verify_payment_link_callback(self, params: dict[str, str]) -> bool:
        """hex HMAC-SHA256 of "link_id|reference_id|status|payment_id" with the key secret
        (reference §4.2). Done here rather than by the SDK, whose helper wants other key
        names and raises on a mismatch. The reference id is empty for a link made without
        one, so only its presence is required; every other part must be non-empty."""
        signature = str(params.get("razorpay_signature") or "")
        if not signature or any(name not in params for name in LINK_CALLBACK_SIGNED):
            return False
        parts = [str(params[name] or "") for name in LINK_CALLBACK_SIGNED]
        if not all(parts[index] for index in (0, 2, 3)):
            return False
        message = "|".join(parts).encode()
        expected = hmac.new(
            self.credentials.value("key_secret").encode(), message, hashlib.sha256
        ).hexdigest()
        # As bytes: compare_digest raises TypeError on a str with non-ASCII characters.
        return hmac.compare_digest(expected.encode(), signature.encode())

    def capture_payment(self, gateway_payment_id: str, amount: Decimal) -> PaymentResult:
        # A fresh dict every time: the SDK's default `data={}` is shared and mutated.
        answer = self.call(
            "capture_payment",
            self.client.payment.capture,
            gateway_payment_id,
            rupees_to_paise(amount),
            {"currency": "INR"},
            object_ref=f"payment:{gateway_payment_id}",
        )
        return payment_result(answer)

    def fetch_payment(self, *, gateway_payment_id: str = "", gateway_order_id: str = "") -> PaymentResult:
        if gateway_payment_id:
            answer = self.call(
                "fetch_payment",
                self.client.payment.fetch,
                gateway_payment_id,
                {},
                object_ref=f"payment:{gateway_payment_id}",
            )
            return payment_result(answer)
        if not gateway_order_id:
            raise InvalidGatewayRequestError("Give a payment id or an order id.", provider=PROVIDER)
        answer = self.call(
            "fetch_order_payments",
            self.client.order.payments,
            gateway_order_id,
            {},
            object_ref=f"order:{gateway_order_id}",
        )
        items = answer.get("items") or []
        if not items:
            raise GatewayNotFoundError(
                f"No payment has been made against Razorpay order {gateway_order_id} yet.",
                provider=PROVIDER,
                code="not_found",
            )
        return payment_result(best_payment(items))

    def create_payment_link(self, request: PaymentLinkRequest) -> PaymentLinkResult:
        customer = request.customer
        body: dict[str, Any] = {
            "amount": rupees_to_paise(request.amount),
            "currency": "INR",
            "description": request.description[:2048],
            "reference_id": request.reference_id[:40],
            "customer": customer_body(customer.name, customer.email, customer.phone),
            "notify": {"email": request.notify_email, "sms": request.notify_sms},
            "notes": dict(request.notes),
        }
        if request.expire_by:
            body["expire_by"] = int(request.expire_by.timestamp())
        if request.callback_url:
            # Razorpay requires callback_method "get" whenever callback_url is set (§3.4).
            body["callback_url"] = request.callback_url
            body["callback_method"] = "get"
        answer = self.call(
            "create_payment_link",
            self.client.payment_link.create,
            body,
            object_ref=f"payment_link:{request.reference_id}",
        )
        return payment_link_result(answer)

    def fetch_payment_link(self, gateway_link_id: str) -> PaymentLinkResult:
        answer = self.call(
            "fetch_payment_link",
            self.client.payment_link.fetch,
            gateway_link_id,
            {},
            object_ref=f"payment_link:{gateway_link_id}",
        )
        return payment_link_result(answer)

    finds_payment_links = True

    def find_payment_link(self, *, reference_id: str) -> PaymentLinkResult:
        """GET /v1/payment_links?reference_id=... (razorpay.com/docs/api/payments/payment-links/
        fetch-all-standard; the SDK's payment_link.all). A reference_id is unique per link, so
        at most one matches; the exact value is compared all the same."""
        reference_id = reference_id[:40]  # as create_payment_link sent it
        answer = self.call(
            "find_payment_link",
            self.client.payment_link.all,
            {"reference_id": reference_id},
            object_ref=f"payment_link:{reference_id}",
        )
        matching = [
            item for item in answer.get("payment_links") or [] if item.get("reference_id") == reference_id
        ]
        if not matching:
            raise GatewayNotFoundError(
                f"Razorpay has no payment link with the reference {reference_id}.",
                provider=PROVIDER,
                code="not_found",
            )
        return payment_link_result(max(matching, key=lambda item: item.get("created_at") or 0))

    def cancel_payment_link(self, gateway_link_id: str) -> PaymentLinkResult:
        answer = self.call(
            "cancel_payment_link",
            self.client.payment_link.cancel,
            gateway_link_id,
            object_ref=f"payment_link:{gateway_link_id}",
        )
        return payment_link_result(answer)
