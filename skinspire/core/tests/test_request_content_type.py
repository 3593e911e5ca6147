"""Django reads any Content-Type the project's WSGI/ASGI entry points pass it without a 500."""

import asyncio
import io
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.core.handlers.wsgi import WSGIRequest
from django.http.multipartparser import MultiPartParserError
from hypothesis import given
from hypothesis import strategies as st

from skinspire.core.request_content_type import asgi_application, readable_content_type

FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data; boundary=b"
MULTIPART_BODY = b'--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n\xff\xe9x\r\n--b--\r\n'
CODECS = [
    "hex",
    "zlib",
    "rot13",
    "base64",
    "idna",
    "punycode",
    "undefined",
    "utf-8",
    "no-such-codec",
    "a\x00",
]


def read(content_type: str, query: str = "q=%FF%00x") -> WSGIRequest:
    """Build the request as Django's WSGI handler does, and read what a view reads.

    An exception while building is a 500 (it happens before any middleware or error
    handler); while reading, Django's own 400s (BadRequest and kin) are answers."""
    body = MULTIPART_BODY if content_type.startswith("multipart/") else b"a=%C3%A9&b=%FF"
    request = WSGIRequest(
        {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/",
            "QUERY_STRING": query,
            "CONTENT_TYPE": content_type,
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "wsgi.url_scheme": "http",
        }
    )
    try:
        request.POST  # noqa: B018
        request.GET  # noqa: B018
    except (BadRequest, SuspiciousOperation, MultiPartParserError):
        pass
    return request


@pytest.mark.parametrize(
    ("content_type", "error"),
    [
        (f"{FORM}; charset=hex", LookupError),
        (f"{MULTIPART}; charset=idna", UnicodeError),
        (f"{FORM}; charset*=utf-8''zlib", LookupError),
        (f"{FORM}; x*=no-such-encoding''a", ValueError),
        (f"{FORM}; charset=a\x00", ValueError),
    ],
)
def test_content_types_that_made_django_itself_fail_are_read_once_cleaned(content_type, error):
    with pytest.raises(error):
        read(content_type, query="q=x")

    request = read(readable_content_type(content_type), query="q=x")

    assert request.encoding is None  # the unusable charset is gone: UTF-8 is used
    assert request.GET["q"] == "x"


@pytest.mark.parametrize(
    ("content_type", "cleaned"),
    [
        ("application/json; charset=utf-8", "application/json; charset=utf-8"),
        ("application/json;charset=UTF-16", "application/json;charset=UTF-16"),
        ("text/plain; charset=rot13; format=flowed", "text/plain; format=flowed"),
        ('multipart/form-data; charset="base64"; boundary=xyz', "multipart/form-data; boundary=xyz"),
        ("application/json", "application/json"),
    ],
)
def test_only_the_unusable_parameter_is_removed(content_type, cleaned):
    assert readable_content_type(content_type) == cleaned


@given(
    st.builds(
        lambda main, name, value: f"{main}; {name}={value}",
        st.sampled_from([FORM, MULTIPART, "application/json", ""]),
        st.sampled_from(["charset", "charset*", "x*", "boundary"]),
        st.one_of(st.sampled_from(CODECS), st.text(st.characters(codec="latin-1"), max_size=20)),
    )
    | st.text(st.characters(codec="latin-1"), max_size=60)
)
def test_any_content_type_a_client_sends_is_readable_once_cleaned(content_type):
    read(readable_content_type(content_type))


def test_the_asgi_entry_point_cleans_the_header_too():
    seen = {}

    async def application(scope, receive, send):
        seen.update(scope)

    scope = {"type": "http", "headers": [(b"content-type", b"application/json; charset=hex"), (b"x-a", b"1")]}
    # On a thread of its own: the browser tests' Playwright keeps an event loop on the main one.
    with ThreadPoolExecutor(max_workers=1) as executor:
        executor.submit(asyncio.run, asgi_application(application)(scope, None, None)).result()

    assert seen["headers"] == [(b"content-type", b"application/json"), (b"x-a", b"1")]
