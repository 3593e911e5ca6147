"""The plumbing every Razorpay API view shares: Basic auth, JSON in, JSON or Razorpay's
error body out. Views stay thin: they parse, call one service, and return an entity."""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from skinspire.core import json_input
from skinspire.sandbox.auth import basic_credentials
from skinspire.sandbox.models import SandboxMerchant, SandboxProvider
from skinspire.sandbox.razorpay.errors import (
    RazorpayApiError,
    authentication_failed,
    invalid_field,
    url_not_found,
)

ApiView = Callable[..., dict | tuple[dict, int]]


def merchant_authenticate(request: HttpRequest) -> SandboxMerchant:
    authorization = request.headers.get("Authorization", "")
    if not authorization:
        raise authentication_failed("Please provide your api key for authentication purposes.")
    credentials = basic_credentials(authorization=authorization)
    merchant = None
    if credentials is not None:
        merchant = SandboxMerchant.objects.filter(
            provider=SandboxProvider.RAZORPAY, key_id=credentials[0]
        ).first()
    if credentials is None or merchant is None:
        raise authentication_failed("The api key provided is invalid")
    if merchant.key_secret != credentials[1]:
        raise authentication_failed("The api secret provided is invalid")
    return merchant


def _payload(request: HttpRequest) -> dict:
    if request.method in ("GET", "DELETE"):
        return request.GET.dict()
    if not request.body:
        return {}
    try:
        data = json_input.loads(request.body)
    except json_input.JSONInputError as error:
        raise invalid_field(f"The request body is not valid JSON: {error}", field=None) from None
    if not isinstance(data, dict):
        raise invalid_field("The request body must be a JSON object", field=None)
    return data


def razorpay_api(**views_by_method: ApiView):
    """One URL's view: `razorpay_api(GET=list_view, POST=create_view)`.

    Each view is called as `view(request, merchant, data, **url_kwargs)` and returns an
    entity dict, or (dict, HTTP status). A verb the URL does not take is Razorpay's 400
    "URL not found", decided before authentication as Razorpay's router does; `razorpay_api()`
    with no views is the catch-all for unknown paths.
    """

    @csrf_exempt
    def dispatch(request: HttpRequest, **kwargs) -> JsonResponse:
        try:
            view = views_by_method.get(request.method or "")
            if view is None:
                raise url_not_found()
            merchant = merchant_authenticate(request)
            result = view(request, merchant, _payload(request), **kwargs)
        except RazorpayApiError as error:
            return JsonResponse(error.as_body(), status=error.status_code)
        body, status = result if isinstance(result, tuple) else (result, 200)
        return JsonResponse(body, status=status)

    dispatch.__dict__["allowed_methods"] = tuple(views_by_method)
    dispatch.__dict__["bad_request_response"] = _bad_request_response
    return dispatch


def _bad_request_response(message: str) -> JsonResponse:
    """A request Django refused before the view ran (skinspire.core.error_views.bad_request)."""
    return JsonResponse(invalid_field(message, field=None).as_body(), status=400)


def fetch_view(entity: str, *, prepare: Callable | None = None) -> ApiView:
    """GET /v1/<entities>/:id for one entity."""
    from skinspire.sandbox.razorpay.services.common import object_or_error

    @wraps(fetch_view)
    def view(request, merchant, data, object_id: str) -> dict:
        found = object_or_error(merchant=merchant, entity=entity, object_id=object_id)
        return (prepare(found) if prepare else found).body

    return view
