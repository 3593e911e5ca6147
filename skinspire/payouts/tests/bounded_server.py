"""A real WSGI server for concurrency tests: a fixed pool of request threads, as a gunicorn
gthread worker has, each thread with its own database connection.

pytest-django's live_server starts a thread per request, so 100 clients would open 100
PostgreSQL connections at once, more than the server allows (max_connections is 100 and
shared). A production server never does that either: its thread pool bounds both.
"""

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

from django.core.handlers.wsgi import WSGIHandler
from django.db import connections


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        """No access log in test output."""


class BoundedWSGIServer(WSGIServer):
    # The listen backlog holds the clients waiting for a thread (the default of 5 would
    # make the kernel drop the rest of a burst's connection requests, to be retried later).
    request_queue_size = 256

    def __init__(self, threads: int):
        super().__init__(("127.0.0.1", 0), QuietHandler)
        self.set_app(WSGIHandler())
        self.pool = ThreadPoolExecutor(max_workers=threads)

    def process_request(self, request, client_address):
        self.pool.submit(self._handle, request, client_address)

    def _handle(self, request, client_address) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:  # noqa: BLE001 - socketserver's own contract: report, keep serving
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)
            connections.close_all()


@contextmanager
def bounded_server(*, threads: int) -> Iterator[int]:
    """Serve the project on 127.0.0.1 with `threads` request threads; yields the port."""
    server = BoundedWSGIServer(threads)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.pool.shutdown(wait=True)
        server.server_close()
        thread.join(10)
