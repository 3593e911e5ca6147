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


@pytest.fixture
def payout_handler():
    """The webhook inbox's "payout" handler, for one test (webhook_support's TrialPayout
    handler), with whatever an app had registered put back afterwards."""
    from skinspire.gateways.tests.webhook_support import trial_payout_handler
    from skinspire.gateways.webhooks.registry import handler_for, register_handler, unregister_handler

    previous = handler_for("payout")
    unregister_handler("payout")
    register_handler("payout", trial_payout_handler)
    yield trial_payout_handler
    unregister_handler("payout")
    if previous is not None:
        register_handler("payout", previous)


@pytest.fixture
def no_payout_handler():
    """No "payout" handler for one test (the payouts app registers one), put back afterwards."""
    from skinspire.gateways.webhooks.registry import handler_for, register_handler, unregister_handler

    previous = handler_for("payout")
    unregister_handler("payout")
    yield
    if previous is not None:
        register_handler("payout", previous)


@pytest.fixture
def no_collections_handlers():
    """No handler for payment, order, payment link or refund events for one test (the
    collections app registers them), put back afterwards."""
    from skinspire.gateways.webhooks.registry import handler_for, register_handler, unregister_handler

    object_types = ("payment", "order", "payment_link", "refund")
    previous = {object_type: handler_for(object_type) for object_type in object_types}
    for object_type in object_types:
        unregister_handler(object_type)
    yield
    for object_type, handler in previous.items():
        if handler is not None:
            register_handler(object_type, handler)
