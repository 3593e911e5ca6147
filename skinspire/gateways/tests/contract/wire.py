"""The transport between an adapter and the in-process sandbox, as the contract tests see it.

`Wire` is mounted on the adapter's own session (`provider.session`) in place of the
in-process adapter it wraps: it keeps every request that left, so "refused before any
request left" is checked, not assumed. A fault can be set to play the network's part
after the sandbox has acted: the answer is lost (read timeout), or a proxy answers 502.
"""

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import requests
from requests.adapters import BaseAdapter
from requests.models import PreparedRequest, Response

from skinspire.core.testing import DjangoInProcessAdapter

SANDBOX_PREFIX = "http://sandbox.testserver/"
LOST = "lost"  # the sandbox acted, the answer never came back
PROXY_502 = "proxy_502"  # the sandbox acted, a proxy in front answered 502 with HTML


class Wire(BaseAdapter):
    def __init__(self):
        super().__init__()
        self.inner = DjangoInProcessAdapter()
        self.sent: list[PreparedRequest] = []
        self.fault = ""

    def send(self, request: PreparedRequest, *args: Any, **kwargs: Any) -> Response:
        self.sent.append(request)
        response = self.inner.send(request, *args, **kwargs)
        if self.fault == LOST:
            raise requests.exceptions.ReadTimeout("read timed out", request=request)
        if self.fault == PROXY_502:
            return _proxy_page(request)
        return response

    def close(self):
        pass


def _proxy_page(request: PreparedRequest) -> Response:
    response = Response()
    response.status_code = 502
    response.headers["Content-Type"] = "text/html"
    response._content = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
    response.encoding = "utf-8"
    response.url = request.url or ""
    response.request = request
    response.reason = "Bad Gateway"
    return response


def tap(session: requests.Session) -> Wire:
    wire = Wire()
    session.mount(SANDBOX_PREFIX, wire)
    return wire


@contextmanager
def silent_server(*, give_up_after: float = 10.0) -> Iterator[int]:
    """A port that takes connections (the kernel completes them) but never answers, so a
    client waits for its read timeout. Closed after `give_up_after` seconds at the latest,
    so a client without a timeout fails instead of hanging the suite."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    backstop = threading.Timer(give_up_after, listener.close)
    backstop.start()
    try:
        yield listener.getsockname()[1]
    finally:
        backstop.cancel()
        listener.close()
