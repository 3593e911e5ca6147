"""Pages a patient's browser reaches without logging in: where the gateway's checkout
sends it back. The POST comes cross-site from the gateway's page, so it cannot carry our
CSRF token; it is authenticated by the gateway's signature instead."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from skinspire.collections.models import RECEIVED_STATUSES, PatientPayment
from skinspire.collections.return_limits import (
    Admitted,
    return_failure_over_limit,
    too_many_returns,
    verified_return_admit,
    verified_return_unanswered,
)
from skinspire.collections.services.checkout import (
    CheckoutSignatureError,
    callback_signature,
    checkout_failure_reported,
    checkout_return_verifies,
    patient_payment_checkout_return,
)
from skinspire.collections.services.receipts import receipt_context
from skinspire.core.money import format_inr
from skinspire.gateways.errors import GatewayError

MAX_FORM_FIELDS = 60


@csrf_exempt
@require_POST
def checkout_return(request: HttpRequest, reference: str) -> HttpResponse:
    payment = (
        PatientPayment.objects.select_related("bill", "bill__patient", "hospital", "configuration")
        .filter(reference=reference, category="gateway")
        .exclude(gateway_order_id="")
        .first()
    )
    if payment is None:
        if return_failure_over_limit(request):
            return too_many_returns(request)
        return _page(request, payment=None, outcome="unknown", status=404)
    form = {
        key: value[:2000]
        for key, value in list(request.POST.items())[:MAX_FORM_FIELDS]
        if isinstance(value, str)  # a key whose list of values is empty has []
    }
    if checkout_failure_reported(form):
        # Unsigned, so it moves nothing: the webhook or the status sync records the failure.
        return _page(request, payment=payment, outcome="failed")
    # Limited before anything is written or asked: a refusal writes an audit entry, a
    # verified return asks the gateway, and its repeat is answered from the row (return_limits).
    claim = {"subject": f"checkout:{payment.reference}", "signature": callback_signature(form)}
    if checkout_return_verifies(payment=payment, form=form):
        admitted = verified_return_admit(**claim)
        if admitted is Admitted.REPEAT:
            return _page(request, payment=payment, outcome=_outcome(payment))
        over_limit = admitted is Admitted.OVER_LIMIT
    else:
        over_limit = return_failure_over_limit(request)
    if over_limit:
        return too_many_returns(request)
    try:
        payment = patient_payment_checkout_return(payment=payment, form=form)
    except CheckoutSignatureError:
        return _page(request, payment=payment, outcome="unverified", status=400)
    except GatewayError:
        verified_return_unanswered(**claim)
        return _page(request, payment=payment, outcome="pending", status=502)
    return _page(request, payment=payment, outcome=_outcome(payment))


def _outcome(payment: PatientPayment) -> str:
    return {"captured": "paid", "failed": "failed"}.get(payment.status, "pending")


@require_GET
def checkout_cancelled(request: HttpRequest, reference: str) -> HttpResponse:
    """Where the gateway's page sends a patient who gives up (Razorpay's cancel_url)."""
    payment = (
        PatientPayment.objects.select_related("bill", "hospital")
        .filter(reference=reference, category="gateway")
        .first()
    )
    if payment is None:
        return _page(request, payment=None, outcome="unknown", status=404)
    return _page(request, payment=payment, outcome="cancelled")


def _page(request, *, payment, outcome: str, status: int = 200) -> HttpResponse:
    context = {"payment": payment, "outcome": outcome,
               "amount": format_inr(payment.amount) if payment else ""}  # fmt: skip
    return render(request, "collections/checkout_result.html", context, status=status)


@require_GET
def receipt(request: HttpRequest, reference: str) -> HttpResponse:
    """The receipt of a received payment, by its unguessable reference (printed, e-mailed)."""
    payment = get_object_or_404(
        PatientPayment.objects.select_related("bill", "bill__patient", "hospital"),
        reference=reference,
        status__in=RECEIVED_STATUSES,
    )
    return render(request, "collections/receipt.html", receipt_context(payment=payment))
