from typing import Any

import pytest
from django.test import RequestFactory

from skinspire.core.client_ip import client_ip


def request_with(remote_addr: str, forwarded: str | None = None):
    extra: dict[str, Any] = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_with("10.0.0.5", "1.2.3.4")) == "10.0.0.5"


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("203.0.113.9", "203.0.113.9"),
        # A client that sends its own header only adds entries to the left of the real one.
        ("6.6.6.6, 203.0.113.9", "203.0.113.9"),
        ("", "10.0.0.5"),
        ("not-an-ip", "10.0.0.5"),
    ],
)
def test_one_trusted_proxy_takes_the_last_entry(settings, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_with("10.0.0.5", forwarded)) == expected


def test_two_trusted_proxies_take_the_second_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request_with("10.0.0.5", "6.6.6.6, 203.0.113.9, 10.0.0.4")) == "203.0.113.9"
    assert client_ip(request_with("10.0.0.5", "10.0.0.4")) == "10.0.0.5"
