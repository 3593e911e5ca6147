"""The patient's link pages (/pay/link/<token>), on a phone, no login: ours shows the
hospital, the bill and the amount, then hands over to the gateway's page; the gateway
sends the browser back to the return page with signed fields. The token is unguessable
and the page shows nothing of any other bill or patient."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from skinspire.collections.models import PaymentLink
from skinspire.collections.return_limits import (
    Admitted,
    return_failure_over_limit,
    too_many_returns,
    verified_return_admit,
    verified_return_unanswered,
)
from skinspire.collections.services.checkout import (
    CALLBACK_ORDER_ID_FIELDS,
    CALLBACK_PAYMENT_ID_FIELDS,
    callback_signature,
)
from skinspire.collections.services.links import OPEN_STATUSES, payment_link_settle_from_gateway
from skinspire.core.money import format_inr
from skinspire.gateways.errors import GatewayError
from skinspire.gateways.providers.registry import provider_for

MAX_FIELDS = 60


def _link(token: str) -> PaymentLink | None:
    return (
        PaymentLink.objects.select_related("bill", "bill__patient", "hospital", "configuration")
        .filter(token=token)
        .exclude(gateway_link_id="")
        .first()
    )


def _state(link: PaymentLink) -> str:
    if link.status == "paid":
        return "paid"
    if link.status not in OPEN_STATUSES or link.expires_at <= timezone.now():
        return "expired" if link.status != "cancelled" else "cancelled"
    return "open"


@require_GET
def link_page(request: HttpRequest, token: str) -> HttpResponse:
    link = _link(token)
    if link is None:
        return render(request, "collections/link.html", {"state": "unknown"}, status=404)
    state = _state(link)
    context = {"link": link, "state": state, "amount": format_inr(link.amount - link.amount_paid),
               "first_name": link.bill.patient.name.split()[0]}  # fmt: skip
    return render(
        request, "collections/link.html", context, status=410 if state in ("expired", "cancelled") else 200
    )


@csrf_exempt  # the gateway's page POSTs here cross-site (Paytm); the signature authenticates it
@require_http_methods(["GET", "POST"])
def link_return(request: HttpRequest, token: str) -> HttpResponse:
    link = _link(token)
    if link is None:
        if return_failure_over_limit(request):
            return too_many_returns(request)
        return render(request, "collections/link.html", {"state": "unknown"}, status=404)
    source = request.POST if request.method == "POST" else request.GET
    params = {
        key: value[:2000]
        for key, value in list(source.items())[:MAX_FIELDS]
        if isinstance(value, str)  # a key whose list of values is empty has []
    }
    gateway = provider_for(link.configuration)
    # Signed, and for this link: a return signed for another of the account's links, replayed
    # here, would record that link's payment on this bill.
    names_this_link = gateway.payment_link_callback_link_id(params) == link.gateway_link_id
    if not (names_this_link and gateway.verify_payment_link_callback(params)):
        if return_failure_over_limit(request):
            return too_many_returns(request)
        return render(request, "collections/link.html", {"link": link, "state": "unverified"}, status=400)
    # Per link, not per address: Paytm posts every link's status callback from its servers.
    # A repeat of a return is answered from what we hold (return_limits).
    claim = {"subject": f"link:{link.reference}", "signature": callback_signature(params)}
    admitted = verified_return_admit(**claim)
    if admitted is Admitted.REPEAT:
        return _answer(request, link)
    if admitted is Admitted.OVER_LIMIT:
        return too_many_returns(request)
    try:
        payment_link_settle_from_gateway(
            link=link,
            gateway_payment_id=next(
                (params[name] for name in CALLBACK_PAYMENT_ID_FIELDS if params.get(name)), ""
            ),
            gateway_order_id=next(
                (params[name] for name in CALLBACK_ORDER_ID_FIELDS if params.get(name)), ""
            ),
            reason="The patient returned from the link's page",
            event_reference=f"link-return:{link.reference}",
        )
    except GatewayError:
        verified_return_unanswered(**claim)
        return render(request, "collections/link.html", {"link": link, "state": "confirming"}, status=502)
    link.refresh_from_db()
    return _answer(request, link)


def _answer(request: HttpRequest, link: PaymentLink) -> HttpResponse:
    """The return's page: the link's last captured payment, as we hold it."""
    payment = link.payments.filter(status="captured").order_by("-id").first()
    context = {"link": link, "state": "thanks" if payment else "failed", "payment": payment,
               "amount": format_inr(payment.amount) if payment else format_inr(link.amount)}  # fmt: skip
    return render(request, "collections/link.html", context)
