"""The page that hands the patient's browser over to the gateway's hosted checkout.

Both gateways document a checkout that needs no script of theirs on our page: the browser
POSTs a form to their host and pays there, and their page POSTs the signed result back to
our return page (pages.checkout_return).
- Razorpay Hosted Checkout: key_id, order_id, callback_url, cancel_url, name, prefill[...]
  to <API host>/v1/checkout/embedded
  (razorpay.com/docs/payments/payment-gateway/web-integration/hosted/integration-steps);
- Paytm Show Payment Page: mid, orderId, txnToken to
  <PG host>/theia/api/v1/showPaymentPage?mid=...&orderId=... (paytmpayments.com/docs/show-payment-page).
The adapter gives the URL and the fields (OrderResult.checkout); this page renders them and
submits them with a static script (no inline script: CSP), a plain button without scripts.

The site's CSP lets forms post only to this site. This response alone also allows the one
origin the form goes to, and only when it is the payment's configured gateway host (the
provider's official host, or the sandbox's base URL on a sandbox configuration): an adapter
that handed back any other URL would be a bug, and the browser would not be sent there.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from skinspire.collections.models import PatientPayment
from skinspire.collections.services.checkout import CheckoutOrder
from skinspire.core.csp import allow_form_target, url_origin
from skinspire.core.errors import ApplicationError
from skinspire.core.money import format_inr
from skinspire.gateways import endpoints

TEMPLATE = "collections/checkout_handover.html"


class CheckoutHandoverError(ApplicationError):
    """The adapter's checkout is not a form for the configured gateway host."""

    status_code = 502


def checkout_handover(request: HttpRequest, *, created: CheckoutOrder) -> HttpResponse:
    payment = created.payment
    url, fields = _form_of(payment=payment, checkout=created.order.checkout)
    context = {"payment": payment, "amount": format_inr(payment.amount), "action": url, "fields": fields,
               "gateway_host": url_origin(url)}  # fmt: skip
    return allow_form_target(render(request, TEMPLATE, context), url=url)


def _form_of(*, payment: PatientPayment, checkout: dict) -> tuple[str, dict[str, str]]:
    url = str(checkout.get("checkout_url") or "")
    fields = checkout.get("checkout_fields")
    base = payment.configuration.effective_base_url if payment.configuration else ""
    if not (url and isinstance(fields, dict) and base and endpoints.is_under(url, base) and url_origin(url)):
        raise CheckoutHandoverError(
            "The gateway's checkout could not be opened. Nothing was charged; try again, or "
            "take the payment at the counter.",
            {"payment_id": payment.pk},
        )
    return url, {str(name): str(value) for name, value in fields.items()}


def return_urls(request: HttpRequest) -> dict:
    """The callback and cancel URLs of our checkout pages, for patient_payment_order_create."""

    def absolute(name: str):
        return lambda payment: request.build_absolute_uri(reverse(name, args=[payment.reference]))

    return {
        "callback_url_for": absolute("collections-checkout-return"),
        "cancel_url_for": absolute("collections-checkout-cancelled"),
    }
