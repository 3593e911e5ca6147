"""Django's 400, 404 and 500 views, answering in the shape the caller speaks.

Django answers 400 itself when a request is refused before or outside a view: a middleware
raising BadRequest (NUL in the URL), a form body that is not UTF-8, a body over
DATA_UPLOAD_MAX_MEMORY_SIZE. Its default page is HTML; an API client expects JSON.
"""

from collections.abc import Callable

from django.core.exceptions import BadRequest, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponse, JsonResponse
from django.urls import Resolver404, resolve
from django.views import defaults

GENERIC_MESSAGE = "The request could not be read."


def _message(exception) -> str:
    # BadRequest messages are written for the client; other SuspiciousOperations may carry
    # details meant for the server's log only.
    if isinstance(exception, RequestDataTooBig):
        return "The request body is too large."
    if isinstance(exception, (TooManyFieldsSent, TooManyFilesSent)):
        return "The request has too many fields."
    if isinstance(exception, BadRequest) and str(exception):
        return str(exception)
    return GENERIC_MESSAGE


def json_bad_request(message: str) -> JsonResponse:
    """The project's one error shape."""
    return JsonResponse({"message": message, "extra": {}}, status=400)


def answers_bad_requests_with(render: Callable[[str], HttpResponse]):
    """Decorator: the view answers a request Django refused before it ran with `render(message)`."""

    def mark(view):
        view.bad_request_response = render
        return view

    return mark


def bad_request(request, exception):
    """A view may render its own (`view.bad_request_response(message)`, as the sandbox's
    gateway protocols do); the API answers `{"message", "extra"}`; pages get Django's page."""
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        view = None
    render = getattr(view, "bad_request_response", None)
    if render is not None:
        return render(_message(exception))
    if _is_api(request) or hasattr(view, "cls"):
        return json_bad_request(_message(exception))
    return defaults.bad_request(request, exception)


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def page_not_found(request, exception):
    """An /api/ address nothing answers (the API's own 404s are DRF's): JSON, not the page."""
    if _is_api(request):
        return JsonResponse({"message": "Not found.", "extra": {}}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        message = "The server could not finish this request; the error has been logged."
        return JsonResponse({"message": message, "extra": {}}, status=500)
    return defaults.server_error(request)
