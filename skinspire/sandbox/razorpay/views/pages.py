"""Hosted pages a patient sees: Hosted Checkout, the order checkout and the payment-link page;
and the page where a supplier claims a payout link.

No API keys here: like Razorpay's own pages they are reached by id. The patient picks a
method and either pays or (sandbox only) chooses to fail; the outcome goes back to the
merchant's callback URL with the parameters and signature the real gateway sends.
"""

import json
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from skinspire.core.csp import allow_form_target
from skinspire.core.money import MoneyError, format_inr, paise_to_rupees, rupees_to_paise
from skinspire.sandbox.models import SandboxObject
from skinspire.sandbox.razorpay import signatures
from skinspire.sandbox.razorpay.errors import RazorpayApiError, invalid_field
from skinspire.sandbox.razorpay.services.link_payments import payment_link_pay
from skinspire.sandbox.razorpay.services.links import payment_link_expire_if_due
from skinspire.sandbox.razorpay.services.payments import METHODS, CheckoutChoice, payment_checkout
from skinspire.sandbox.razorpay.services.payout_link_claims import (
    Claim,
    payout_link_claim,
    payout_link_expire_if_due,
)


def _object_or_404(*, entity: str, object_id: str) -> SandboxObject:
    found = (
        SandboxObject.objects.select_related("merchant").filter(entity=entity, object_id=object_id).first()
    )
    if found is None:
        raise Http404(f"No such {entity}")
    return found


def _choice(request: HttpRequest, **extra) -> CheckoutChoice:
    method = request.POST.get("method", "upi")
    return CheckoutChoice(
        method=method if method in METHODS else "upi",
        succeed=request.POST.get("outcome") == "success",
        vpa=request.POST.get("vpa", "").strip() if method == "upi" else "",
        **extra,
    )


def checkout_context(*, order: SandboxObject, callback_url: str) -> dict:
    return {"order": order.body, "merchant": order.merchant, "callback_url": callback_url,
            "amount": format_inr(paise_to_rupees(order.body["amount_due"]))}  # fmt: skip


@csrf_exempt
@require_POST
def hosted_checkout(request: HttpRequest) -> HttpResponse:
    """Razorpay Hosted Checkout: the merchant's page POSTs `key_id`, `order_id`, `callback_url`
    (and `prefill[…]`, `name`, `description`, `cancel_url`, unused here) to
    `<API host>/v1/checkout/embedded`; the patient pays on the gateway's page, which POSTs
    the result to `callback_url`
    (https://razorpay.com/docs/payments/payment-gateway/web-integration/hosted/).

    The form comes from the merchant's origin, so it carries no CSRF token of ours: what is
    checked is that the order exists and belongs to the key id's account. The page shown is
    the order's checkout page, whose own form posts back to this site."""
    key_id = request.POST.get("key_id", "").strip()
    order_id = request.POST.get("order_id", "").strip()
    if not key_id or not order_id:
        return _refused(request, "The checkout form must send key_id and order_id.")
    order = (
        SandboxObject.objects.select_related("merchant")
        .filter(entity="order", object_id=order_id, merchant__key_id=key_id)
        .first()
    )
    if order is None:
        return _refused(request, f"No order {order_id} for the key id {key_id}.")
    context = checkout_context(order=order, callback_url=request.POST.get("callback_url", ""))
    return render(request, "sandbox/razorpay/checkout.html", context)


def _refused(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "sandbox/razorpay/error.html", {"message": message}, status=400)


def checkout_page(request: HttpRequest, order_id: str) -> HttpResponse:
    order = _object_or_404(entity="order", object_id=order_id)
    callback_url = request.POST.get("callback_url") or request.GET.get("callback_url", "")
    context = checkout_context(order=order, callback_url=callback_url)
    if request.method != "POST":
        return render(request, "sandbox/razorpay/checkout.html", context)
    try:
        payment = payment_checkout(merchant=order.merchant, order_id=order_id, choice=_choice(request))
    except RazorpayApiError as error:
        return render(
            request, "sandbox/razorpay/checkout.html", {**context, "error": error.message}, status=400
        )
    fields = _checkout_callback_fields(payment=payment.body, secret=order.merchant.key_secret)
    if callback_url:
        # Razorpay's callback_url flow: the browser POSTs the result to the merchant.
        page = render(request, "sandbox/razorpay/callback_post.html", {"url": callback_url, "fields": fields})
        return allow_form_target(page, url=callback_url)
    return render(
        request, "sandbox/razorpay/result.html", {**context, "payment": payment.body, "fields": fields}
    )


def _checkout_callback_fields(*, payment: dict, secret: str) -> dict[str, str]:
    if payment["status"] == "failed":
        return {
            "error[code]": payment["error_code"],
            "error[description]": payment["error_description"],
            "error[source]": payment["error_source"],
            "error[step]": payment["error_step"],
            "error[reason]": payment["error_reason"],
            "error[metadata]": json.dumps({"payment_id": payment["id"], "order_id": payment["order_id"]}),
        }
    return {
        "razorpay_payment_id": payment["id"],
        "razorpay_order_id": payment["order_id"],
        "razorpay_signature": signatures.checkout_signature(
            order_id=payment["order_id"], payment_id=payment["id"], secret=secret
        ),
    }


def payment_link_page(request: HttpRequest, link_id: str) -> HttpResponse:
    link = payment_link_expire_if_due(link=_object_or_404(entity="payment_link", object_id=link_id))
    # The page's form is answered with a redirect to the callback URL, which CSP checks too.
    return allow_form_target(_payment_link_page(request, link), url=link.body["callback_url"] or "")


def _payment_link_page(request: HttpRequest, link: SandboxObject) -> HttpResponse:
    link_id = link.object_id
    due = paise_to_rupees(link.body["amount"] - link.body["amount_paid"])
    first_minimum = link.body["first_min_partial_amount"] if not link.body["amount_paid"] else 0
    context = {"link": link.body, "merchant": link.merchant, "amount": format_inr(due), "due": due,
               "amount_paid": format_inr(paise_to_rupees(link.body["amount_paid"])),
               "first_minimum": format_inr(paise_to_rupees(first_minimum)) if first_minimum else ""}  # fmt: skip
    if request.method != "POST":
        return render(request, "sandbox/razorpay/link.html", context)
    customer = link.body["customer"] or {}
    try:
        choice = _choice(
            request,
            email=customer.get("email") or "void@razorpay.com",
            contact=customer.get("contact") or "+919000090000",
            description=link.body["description"] or None,
            amount=_chosen_amount(request, link=link.body),
        )
        payment = payment_link_pay(merchant=link.merchant, link_id=link_id, choice=choice)
    except RazorpayApiError as error:
        return render(request, "sandbox/razorpay/link.html", {**context, "error": error.message}, status=400)
    link.refresh_from_db()
    if payment.body["status"] == "failed":
        return render(
            request, "sandbox/razorpay/link.html", {**context, "failed_payment": payment.body}, status=402
        )
    fields = _link_callback_fields(
        link=link.body, payment_id=payment.object_id, secret=link.merchant.key_secret
    )
    if link.body["callback_url"]:
        separator = "&" if "?" in link.body["callback_url"] else "?"
        return HttpResponseRedirect(link.body["callback_url"] + separator + urlencode(fields))
    return render(
        request, "sandbox/razorpay/result.html", {**context, "payment": payment.body, "fields": fields}
    )


def _chosen_amount(request: HttpRequest, *, link: dict) -> int | None:
    """The rupees the patient typed on a partial-payment link, in paise (None: pay what is due)."""
    typed = request.POST.get("amount", "").strip()
    if not link["accept_partial"] or not typed:
        return None
    try:
        return rupees_to_paise(typed)
    except MoneyError:
        raise invalid_field("Enter the amount in rupees, for example 500.00.", field="amount") from None


def _link_callback_fields(*, link: dict, payment_id: str, secret: str) -> dict[str, str]:
    signature = signatures.payment_link_signature(
        link_id=link["id"],
        reference_id=link["reference_id"],
        status=link["status"],
        payment_id=payment_id,
        secret=secret,
    )
    return {
        "razorpay_payment_id": payment_id,
        "razorpay_payment_link_id": link["id"],
        "razorpay_payment_link_reference_id": link["reference_id"],
        "razorpay_payment_link_status": link["status"],
        "razorpay_signature": signature,
    }


def payout_link_page(request: HttpRequest, link_id: str) -> HttpResponse:
    """The recipient's page of a RazorpayX payout link: enter a UPI id or a bank account
    and get paid (payout_link_claims.py). No keys: reached by the link's id, like Razorpay's."""
    link = payout_link_expire_if_due(link=_object_or_404(entity="payout_link", object_id=link_id))
    context = {"link": link.body, "merchant": link.merchant,
               "amount": format_inr(paise_to_rupees(link.body["amount"])), "form": request.POST}  # fmt: skip
    if request.method != "POST":
        return render(request, "sandbox/razorpay/payout_link.html", context)
    claim = Claim(
        account_type=request.POST.get("account_type", ""),
        vpa=request.POST.get("vpa", "").strip(),
        holder_name=request.POST.get("holder_name", "").strip(),
        ifsc=request.POST.get("ifsc", "").strip(),
        account_number=request.POST.get("account_number", "").strip(),
    )
    try:
        link = payout_link_claim(link_id=link.object_id, claim=claim)
    except RazorpayApiError as error:
        return render(
            request, "sandbox/razorpay/payout_link.html", {**context, "error": error.message}, status=400
        )
    return render(
        request, "sandbox/razorpay/payout_link.html", {**context, "link": link.body, "claimed": True}
    )
