"""A requests transport that serves requests with this Django project, in-process.

Used by test settings (GATEWAY_INPROCESS_PREFIXES) so that the official Razorpay SDK and
our adapters, which speak HTTP through `requests`, reach the sandbox gateway without a
server and inside the test's database transaction. Django's test client is used rather
than a raw WSGI call because it keeps the test transaction's connection open.
"""

from urllib.parse import urlsplit

from django.test import Client
from requests.adapters import BaseAdapter
from requests.models import PreparedRequest, Response
from requests.structures import CaseInsensitiveDict

_SKIPPED_HEADERS = {"content-length", "content-type", "host"}


class DjangoInProcessAdapter(BaseAdapter):
    def send(self, request: PreparedRequest, **kwargs) -> Response:
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
            content_type=request.headers.get("Content-Type", "application/octet-stream"),
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
