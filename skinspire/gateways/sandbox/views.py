"""The sandbox's home page: merchants (key ids only), recent objects, magic values.

It doubles as a callback inspector: point a checkout's or link's callback URL at it and it
shows the `razorpay_*` parameters the gateway sent (GET query or POSTed form). It changes
nothing, so it needs no CSRF token, which the gateway's cross-site POST could not carry.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from skinspire.gateways.sandbox.models import SandboxMerchant
from skinspire.gateways.sandbox.razorpay import magic
from skinspire.gateways.sandbox.selectors import sandbox_objects_recent

CALLBACK_PREFIXES = ("razorpay_", "error[")


@csrf_exempt
def index(request: HttpRequest) -> HttpResponse:
    received = request.POST if request.method == "POST" else request.GET
    callback = {name: value for name, value in received.items() if name.startswith(CALLBACK_PREFIXES)}
    context = {
        "merchants": SandboxMerchant.objects.order_by("provider", "name"),
        "objects": sandbox_objects_recent(),
        "callback": callback,
        "callback_method": request.method,
        "magic": magic,
    }
    return render(request, "sandbox/index.html", context)
