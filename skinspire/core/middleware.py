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

from django.core.exceptions import BadRequest

FORM_MEDIA_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
NUL = "\x00"
MESSAGE = "The request contains a NUL character (U+0000), which no field accepts."


class NullCharacterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _holds_nul(request):
            raise BadRequest(MESSAGE)
        return self.get_response(request)


def _holds_nul(request) -> bool:
    if NUL in request.path_info:
        return True
    sources = [request.GET]
    if request.method == "POST" and request.content_type in FORM_MEDIA_TYPES:
        sources.append(request.POST)
    return any(
        NUL in key or any(NUL in value for value in values)
        for source in sources
        for key, values in source.lists()
    )
