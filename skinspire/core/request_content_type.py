"""A request's Content-Type is cleaned of what Django cannot read, before Django reads it.

`WSGIRequest.__init__` parses the Content-Type and, given a charset, decodes the query
string with it. Three inputs make that raise, a 500 from Django itself before any
middleware or view can answer:
- a charset Python knows as a *bytes* codec (`hex`, `base64`, `zlib`, `rot13`...): LookupError;
- `idna`, `punycode`, `undefined`: a UnicodeError Django's fallback does not catch;
- an RFC 2231 parameter in an unknown encoding (`x*=nosuch''a`), or NUL in the charset: ValueError.
Such parameters are dropped, as Django already drops a charset it does not know, so the
body is read as UTF-8 and a body that is not UTF-8 gets each endpoint's own 400 (DRF's
parser, the sandbox's protocol errors, Django's own check on form bodies).
"""

import functools
import re

from django.utils.http import parse_header_parameters

_EXTENDED_PARAMETER = re.compile(r';\s*[^;=\s]+\*\s*=\s*("[^"]*"|[^;]*)')
_CHARSET_PARAMETER = re.compile(r';\s*charset\*?\s*=\s*("[^"]*"|[^;]*)', re.IGNORECASE)
_EVERY_BYTE = bytes(range(256))


@functools.lru_cache(maxsize=64)
def is_usable_charset(name: str) -> bool:
    """True when `name` decodes any bytes to text (with replacement), as Django assumes."""
    try:
        _EVERY_BYTE.decode(name, "replace")
    except (LookupError, ValueError):  # UnicodeError; ValueError for a NUL in the name
        return False
    return True


def readable_content_type(content_type: str) -> str:
    """The Content-Type without the parameters Django would fail on (see the module doc)."""
    try:
        _, parameters = parse_header_parameters(content_type)
    except ValueError:
        content_type = _EXTENDED_PARAMETER.sub("", content_type)
        _, parameters = parse_header_parameters(content_type)
    charset = parameters.get("charset")
    if charset is not None and not is_usable_charset(charset):
        content_type = _CHARSET_PARAMETER.sub("", content_type)
    return content_type


def wsgi_application(application):
    """Wrap the project's WSGI application (skinspire/wsgi.py)."""

    def call(environ, start_response):
        if ";" in environ.get("CONTENT_TYPE", ""):
            environ["CONTENT_TYPE"] = readable_content_type(environ["CONTENT_TYPE"])
        return application(environ, start_response)

    return call


def asgi_application(application):
    """Wrap the project's ASGI application (skinspire/asgi.py)."""

    async def call(scope, receive, send):
        if scope["type"] == "http":
            headers = [
                (name, readable_content_type(value.decode("latin-1")).encode("latin-1"))
                if name.lower() == b"content-type"
                else (name, value)
                for name, value in scope.get("headers", [])
            ]
            scope = {**scope, "headers": headers}
        await application(scope, receive, send)

    return call
