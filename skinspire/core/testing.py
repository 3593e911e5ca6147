"""A requests transport that serves requests with this Django project, in-process.

Used by test settings (GATEWAY_INPROCESS_PREFIXES) so that the official Razorpay SDK and
our adapters, which speak HTTP through `requests`, reach the sandbox gateway without a
server and inside the test's database transaction. Django's test client is used rather
than a raw WSGI call because it keeps the test transaction's connection open.
"""

from typing import Any
from urllib.parse import urlsplit

from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from requests.adapters import BaseAdapter
from requests.models import PreparedRequest, Response
from requests.structures import CaseInsensitiveDict
from requests.utils import to_native_string

_SKIPPED_HEADERS = {"content-length", "content-type", "host"}


class DjangoInProcessAdapter(BaseAdapter):
    def send(self, request: PreparedRequest, *args: Any, **kwargs: Any) -> Response:
        assert request.url is not None and request.method is not None  # set once prepared
        url = urlsplit(request.url)
        path = url.path + (f"?{url.query}" if url.query else "")
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        headers = {
            key: value for key, value in request.headers.items() if key.lower() not in _SKIPPED_HEADERS
        }
        client = Client(HTTP_HOST=url.netloc, raise_request_exception=True)
        django_response = client.generic(
            request.method,
            path,
            data=body,
            content_type=to_native_string(request.headers.get("Content-Type", "application/octet-stream")),
            headers=headers,
            secure=url.scheme == "https",
        )
        response = Response()
        response.status_code = django_response.status_code
        response.headers = CaseInsensitiveDict(dict(django_response.items()))
        response._content = django_response.content
        response.encoding = "utf-8"
        response.url = request.url
        response.request = request
        response.reason = django_response.reason_phrase
        return response

    def close(self):
        pass


def in_test_transaction(application):
    """A WSGI application called as a server calls it, but on the test's open transaction.

    Django's handler closes stale database connections when a request starts and finishes;
    inside a test's transaction that would end the transaction, so (as Django's own test
    client does) those two receivers are disconnected for the duration of each call. Used
    where a test must go through the project's real WSGI entry point, middleware included.
    """

    def call(environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = application(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                if hasattr(response, "close"):
                    response.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)

    return call
