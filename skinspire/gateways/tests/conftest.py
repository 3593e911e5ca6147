"""Fixtures for the gateway tests."""

import socket

import pytest


@pytest.fixture
def unreachable_url(settings) -> str:
    """A loopback URL nobody listens on, allow-listed as a test-mode base URL (a gateway
    that cannot be reached)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    settings.GATEWAY_BASE_URL_ALLOWLIST = [*settings.GATEWAY_BASE_URL_ALLOWLIST, url]
    return url
