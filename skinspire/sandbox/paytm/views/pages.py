"""The hosted pages a patient sees: the checkout of an order and a payment link's page."""

import hmac

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from skinspire.core.csp import allow_form_target
from skinspire.core.money import format_inr
from skinspire.sandbox.paytm import selectors
from skinspire.sandbox.paytm.errors import PaytmRejected
from skinspire.sandbox.paytm.services import links, orders, outbound

METHOD_CHOICES = [("upi", "UPI"), ("card", "Debit / credit card"), ("netbanking", "Net banking")]


def _order(request):
    params = request.GET
    merchant = selectors.merchant_by_mid(mid=params.get("mid", ""))
    if merchant is not None and params.get("orderId"):
        order = selectors.object_by_key(merchant=merchant, entity=selectors.ORDER, key=params["orderId"])
    else:
        order = selectors.order_by_token(token=params.get("txnToken", ""))
    if order is None:
        raise Http404("No such order")
    return order


class CheckoutRefused(Exception):
    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.message, self.status = message, status


def _posted_order(request):
    """The order a POST names by `mid`, `orderId` and `txnToken` (form fields; the URL's
    `?mid=&orderId=` must agree), as Paytm's Show Payment Page form sends them
    (https://paytmpayments.com/docs/show-payment-page). The token proves the poster."""
    values = {}
    for name in ("mid", "orderId"):
        posted, query = request.POST.get(name, ""), request.GET.get(name, "")
        if posted and query and posted != query:
            raise CheckoutRefused(f"The {name} in the form does not match the one in the URL.", 400)
        values[name] = posted or query
    token = request.POST.get("txnToken", "")
    if not (values["mid"] and values["orderId"] and token):
        raise CheckoutRefused("mid, orderId and txnToken are required.", 400)
    merchant = selectors.merchant_by_mid(mid=values["mid"])
    order = (
        selectors.object_by_key(merchant=merchant, entity=selectors.ORDER, key=values["orderId"])
        if merchant
        else None
    )
    if order is None:
        raise CheckoutRefused("No such order for this MID.", 404)
    if not hmac.compare_digest(token.encode(), order.body["_sandbox"]["txnToken"].encode()):
        raise CheckoutRefused("Invalid txnToken for this order.", 403)
    return order


# Paytm's page, which the merchant's site POSTs to cross-site (its form cannot carry our CSRF
# token); a POST is instead authenticated by the order's single-use txnToken.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def checkout(request):
    """Paytm's redirect-flow page (`showPaymentPage`): GET by MID + orderId or txnToken, or the
    merchant's form POST of mid, orderId and txnToken; the patient's choice POSTs back here."""
    if request.method == "GET":
        return _checkout_page(request, order=_order(request))
    try:
        order = _posted_order(request)
    except CheckoutRefused as refused:
        return render(
            request, "sandbox/paytm/error.html", {"message": refused.message}, status=refused.status
        )
    if "outcome" not in request.POST:  # the merchant's form post: show the page
        return _checkout_page(request, order=order)
    try:
        fields = orders.paytm_order_pay(
            order_id=order.pk,
            method=request.POST.get("method", ""),
            succeed=request.POST.get("outcome") == "success",
        )
    except PaytmRejected as rejection:
        return _checkout_page(request, order=order, error=rejection.message)
    return _after_payment(request, order=order, fields=fields)


def _checkout_page(request, *, order, error: str = ""):
    order.refresh_from_db()
    context = {
        "order": order,
        "amount": format_inr(order.body["txnAmount"]),
        "merchant": order.merchant,
        "methods": METHOD_CHOICES,
        "error": error,
        "paid": order.status != "CREATED" and not error,
        "txn_token": order.body["_sandbox"]["txnToken"],
    }
    return render(request, "sandbox/paytm/checkout.html", context)


def _after_payment(request, *, order, fields: dict[str, str]):
    """Back to the merchant: the browser POSTs the signed fields to the order's callbackUrl."""
    callback_url = order.body["_sandbox"].get("callbackUrl")
    if not callback_url:
        return render(request, "sandbox/paytm/result.html", {"fields": fields, "merchant": order.merchant})
    form = outbound.signed_form(fields=fields, merchant=order.merchant)
    page = render(request, "sandbox/paytm/callback_form.html", {"action": callback_url, "fields": form})
    return allow_form_target(page, url=callback_url)


@require_http_methods(["GET", "POST"])
def link_page(request, link_id: int, link_name: str = ""):
    links.paytm_link_expire_due()
    link = selectors.object_by_id(entity=selectors.LINK, object_id=f"LL_{link_id}")
    if link is None:
        raise Http404("No such link")
    error = ""
    if request.method == "POST":
        payer = {"email": request.POST.get("email", ""), "mobile": request.POST.get("mobile", "")}
        try:
            fields = links.paytm_link_pay(
                link_pk=link.pk,
                method=request.POST.get("method", ""),
                succeed=request.POST.get("outcome") == "success",
                amount=request.POST.get("amount", ""),
                payer=payer,
            )
        except PaytmRejected as rejection:
            error = rejection.message
        else:
            return render(request, "sandbox/paytm/result.html", {"fields": fields, "merchant": link.merchant})
    amount = link.body["amount"]
    context = {
        "link": link,
        "amount": format_inr(amount) if amount else "",
        "merchant": link.merchant,
        "methods": METHOD_CHOICES,
        "error": error,
    }
    return render(request, "sandbox/paytm/link.html", context)
