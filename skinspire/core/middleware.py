"""A request carrying NUL (U+0000) in its path, query string or form body is a 400.

PostgreSQL can neither store nor compare text holding NUL: psycopg refuses the query with
a DataError, so a lookup by such an id or filter was a 500. Django's form fields already
refuse NUL (ProhibitNullCharactersValidator); this holds everything read from the URL, and
form bodies read outside forms, to the same rule: urlencoded and multipart alike (a page that
reads `request.POST` itself, as the sandbox's hosted pages do, gets either; the test client
and a form with a file send multipart). Uploaded files' contents are not text and are not
looked at here (their readers check them); their names Django has already cleaned of control
characters. JSON bodies are checked by the JSON loader (skinspire/core/json_input.py). The
400 is rendered by `skinspire.core.error_views.bad_request`.
"""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http.request import RawPostDataException

FORM_MEDIA_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
NUL = "\x00"
# Form fields whose values are left to their views: a second-factor code holding NUL is a
# wrong code, counted towards the lockout (skinspire.core.authentication.forms.CodeField), not
# a 400 before any check. Never stored: axes masks it (AXES_SENSITIVE_PARAMETERS).
LEFT_TO_THE_VIEW = frozenset({"otp_token"})
MESSAGE = "The request contains a NUL character (U+0000), which no field accepts."


class NullCharacterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _holds_nul(request):
            raise BadRequest(MESSAGE)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RawPostDataException):  # see _body_kept_for_the_view
            raise BadRequest("The request body is too large to be read as anything but a form.")
        return None


def _holds_nul(request) -> bool:
    if NUL in request.path_info:
        return True
    if _holds_nul_in(request.GET):
        return True
    if request.method == "POST" and request.content_type in FORM_MEDIA_TYPES:
        _body_kept_for_the_view(request)
        return _holds_nul_in(request.POST, left_to_the_view=LEFT_TO_THE_VIEW)
    return False


def _holds_nul_in(source, left_to_the_view=frozenset()) -> bool:
    return any(
        NUL in key or (key not in left_to_the_view and any(NUL in value for value in values))
        for key, values in source.lists()
    )


def _body_kept_for_the_view(request) -> None:
    """Parsing a multipart body consumes its stream, and a view that then reads `request.body`
    (the sandbox's JSON routes, sent a multipart content type) would fail with
    RawPostDataException, a 500. So a body that fits in memory (DATA_UPLOAD_MAX_MEMORY_SIZE,
    files and all, as `request.body` allows) is read first and the form parsed from it, as
    Django does for urlencoded bodies. A larger one is parsed from its stream, for its files:
    reading its bytes is then refused in `process_exception`, as Django refuses a body that
    size anyway (RequestDataTooBig)."""
    if request.content_type != "multipart/form-data":
        return
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        size = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return
    if limit is None or size <= limit:
        request.body  # noqa: B018 (read and kept by Django, for the form's parser and the view)
