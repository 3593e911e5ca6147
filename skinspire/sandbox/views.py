"""The sandbox's home page (merchants by key id, recent objects, magic values, controls) and
the settle-now control endpoint.

The home page doubles as a callback inspector: point a checkout's or link's callback URL at it and it
shows the `razorpay_*` parameters the gateway sent (GET query or POSTed form). It changes
nothing, so it needs no CSRF token, which the gateway's cross-site POST could not carry.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from skinspire.core.error_views import answers_bad_requests_with, json_bad_request
from skinspire.core.errors import ApplicationError
from skinspire.sandbox.controls import merchant_settle_now
from skinspire.sandbox.models import SandboxMerchant, SandboxProvider
from skinspire.sandbox.paytm import inbound
from skinspire.sandbox.razorpay import magic
from skinspire.sandbox.razorpay.events import account_id_for
from skinspire.sandbox.razorpay.views.base import merchant_authenticate
from skinspire.sandbox.selectors import sandbox_objects_recent

# The failures of the Paytm-style control request, with the codes of Paytm's payout API.
CONTROL_CODES = inbound.Codes(
    malformed=("DE_010", "The body must be a JSON object."),
    unknown_mid=("DE_1002", "Invalid merchant"),
    bad_checksum=("DE_401", "Checksum provided is invalid"),
)

CALLBACK_PREFIXES = ("razorpay_", "error[")


@csrf_exempt
def index(request: HttpRequest) -> HttpResponse:
    received = request.POST if request.method == "POST" else request.GET
    callback = {name: value for name, value in received.items() if name.startswith(CALLBACK_PREFIXES)}
    context = {
        "merchants": _with_webhook_account(SandboxMerchant.objects.order_by("provider", "name")),
        "objects": sandbox_objects_recent(),
        "callback": callback,
        "callback_method": request.method,
        "magic": magic,
    }
    return render(request, "sandbox/index.html", context)


def _with_webhook_account(merchants) -> list[SandboxMerchant]:
    """Each merchant with the account its webhooks name, which a gateway configuration
    records as its merchant id: Razorpay's envelope `account_id`, Paytm's MID."""
    listed = list(merchants)
    for merchant in listed:
        is_razorpay = merchant.provider == SandboxProvider.RAZORPAY
        merchant.webhook_account = account_id_for(merchant=merchant) if is_razorpay else merchant.key_id
    return listed


@answers_bad_requests_with(json_bad_request)  # Django's own 400s in this endpoint's JSON shape
@csrf_exempt  # an API called by scripts and tests, authenticated by the merchant's credentials
@require_POST
def settle_now(request: HttpRequest) -> JsonResponse:
    """POST /sandbox/control/settle-now: settle the calling merchant now (controls.py).

    Razorpay merchants authenticate as on Razorpay's API (HTTP Basic key_id:key_secret);
    Paytm merchants as on Paytm's payout API (`x-mid`, and `x-checksum` over the raw JSON
    body), so the Paytm merchant key never travels.
    """
    try:
        merchant = _control_merchant(request)
    except ApplicationError as error:
        malformed = error.extra.get("code") == CONTROL_CODES.malformed[0]
        response = JsonResponse(
            {"message": error.message, "extra": error.extra}, status=400 if malformed else 401
        )
        if not malformed:
            response["WWW-Authenticate"] = 'Basic realm="sandbox"'
        return response
    return JsonResponse(merchant_settle_now(merchant=merchant))


def _control_merchant(request: HttpRequest) -> SandboxMerchant:
    if request.headers.get("Authorization"):
        return merchant_authenticate(request)
    if request.headers.get("x-mid"):
        return inbound.payout_request(request, codes=CONTROL_CODES).merchant
    raise ApplicationError(
        "Send the merchant's credentials: Basic key_id:key_secret (Razorpay), "
        "or x-mid and x-checksum over the body (Paytm)."
    )
