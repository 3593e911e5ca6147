"""The adapter contract, errors by situation: every adapter raises the same class for the
same situation, with the same outcome flags (docs/gateways.md, "The adapter contract").

Each situation is produced for real: the sandbox answers (unknown ids, refused keys,
invalid fields), or the network fails around it (a silent port, a closed port, an answer
lost after the sandbox acted).
"""

import time
from datetime import date

import pytest

from skinspire.gateways.errors import (
    GatewayAPIError,
    GatewayAuthenticationError,
    GatewayNotFoundError,
    GatewayTimeoutError,
    GatewayUnreachableError,
)
from skinspire.gateways.models import GatewayTransactionLog
from skinspire.gateways.providers.interface import BankAccount
from skinspire.gateways.tests.contract import builders
from skinspire.gateways.tests.contract.flows import paid_order
from skinspire.gateways.tests.contract.gateways import SPECS, open_gateway, over_both, spec_id
from skinspire.gateways.tests.contract.wire import LOST, PROXY_502, silent_server
from skinspire.sandbox.models import SandboxObject

pytestmark = pytest.mark.django_db

STARTS = {
    "create_payout": lambda gateway: gateway.provider.create_payout(builders.payout()),
    "create_order": lambda gateway: gateway.provider.create_order(builders.order()),
    "create_payment_link": lambda gateway: gateway.provider.create_payment_link(builders.payment_link()),
    "fetch_settlement_lines": lambda gateway: gateway.provider.fetch_settlement_lines(on=date.today()),
    "fetch_payment": lambda gateway: gateway.provider.fetch_payment(gateway_order_id="CBILL-0001"),
}


def _unpaid_order(gateway):
    order = gateway.provider.create_order(builders.order())
    return gateway.provider.fetch_payment(gateway_order_id=order.gateway_order_id)


def _unknown_refund(gateway):
    order, _ = paid_order(gateway)
    return gateway.provider.fetch_refund(
        refund_reference="CRFND-NOSUCH", gateway_order_id=order.gateway_order_id
    )


NOT_FOUND = {
    "payout_by_our_reference": lambda gateway: gateway.provider.fetch_payout(reference_id="CPAY-NOSUCH"),
    "payout_by_gateway_id": lambda gateway: gateway.provider.fetch_payout(
        gateway_payout_id=gateway.spec.unknown["payout"]
    ),
    "payment_of_an_unknown_order": lambda gateway: gateway.provider.fetch_payment(
        gateway_order_id=gateway.spec.unknown["order"]
    ),
    "payment_of_an_order_nobody_paid": _unpaid_order,
    "refund_by_an_unknown_reference": _unknown_refund,
    "payment_link": lambda gateway: gateway.provider.fetch_payment_link(gateway.spec.unknown["link"]),
}


@over_both
@pytest.mark.parametrize("situation", NOT_FOUND)
def test_what_the_gateway_does_not_hold_is_not_found(gateway, situation):
    with pytest.raises(GatewayNotFoundError) as caught:
        NOT_FOUND[situation](gateway)

    error = caught.value
    assert (error.code, error.provider, error.status_code) == ("not_found", gateway.spec.name, 404)
    assert (error.provably_failed, error.retryable) == (True, False)


@pytest.mark.parametrize("spec", SPECS, ids=spec_id)
@pytest.mark.parametrize("fault", ["wrong_secret", "unknown_key_id"])
@pytest.mark.parametrize(
    "operation", ["create_payout", "create_order", "create_payment_link", "fetch_settlement_lines"]
)
def test_credentials_the_gateway_refuses_are_an_authentication_error(hospital, spec, fault, operation):
    gateway = open_gateway(spec, hospital=hospital, **spec.faults[fault])

    with pytest.raises(GatewayAuthenticationError) as caught:
        STARTS[operation](gateway)

    error = caught.value
    assert (error.provider, error.provably_failed, error.retryable) == (spec.name, True, False)
    assert "check" in error.message and "admin" in error.message
    assert len(gateway.wire.sent) == 1
    assert not SandboxObject.objects.filter(merchant=gateway.merchant).exists()
    assert list(GatewayTransactionLog.objects.values_list("outcome", flat=True)) == ["error"]


@over_both
def test_a_request_the_gateway_refuses_as_invalid_is_a_definite_api_error(gateway):
    bad_ifsc = BankAccount(
        holder_name="Medi Supply Co", ifsc="HDFC1000123", account_number=builders.ACCOUNT_PAID
    )

    with pytest.raises(GatewayAPIError) as caught:
        gateway.provider.create_payout(builders.payout(destination=bad_ifsc))

    error = caught.value
    assert type(error) is GatewayAPIError
    assert (error.provably_failed, error.retryable, error.provider) == (True, False, gateway.spec.name)
    assert error.gateway_message
    assert len(gateway.wire.sent) == 1
    assert not SandboxObject.objects.filter(entity=gateway.spec.entity("payout")).exists()


@pytest.mark.parametrize("spec", SPECS, ids=spec_id)
@pytest.mark.parametrize("operation", ["create_payout", "create_order"])
def test_no_answer_in_time_is_a_timeout_of_unknown_outcome(hospital, settings, spec, operation):
    settings.GATEWAY_CONNECT_TIMEOUT, settings.GATEWAY_READ_TIMEOUT = 2.0, 0.3
    with silent_server() as port:
        url = f"http://127.0.0.1:{port}"
        settings.GATEWAY_BASE_URL_ALLOWLIST = [*settings.GATEWAY_BASE_URL_ALLOWLIST, url]
        gateway = open_gateway(spec, hospital=hospital, **spec.host_fields(url))
        started = time.monotonic()
        with pytest.raises(GatewayTimeoutError) as caught:
            STARTS[operation](gateway)
        waited = time.monotonic() - started

    assert waited < 5  # the configured read timeout, not the silent server's 10 s backstop
    assert (caught.value.provably_failed, caught.value.retryable) == (False, True)
    assert list(GatewayTransactionLog.objects.values_list("outcome", flat=True)) == ["timeout"]


@over_both
def test_an_answer_lost_after_the_gateway_acted_is_a_timeout_and_the_retry_pays_once(gateway):
    gateway.wire.fault = LOST
    with pytest.raises(GatewayTimeoutError) as caught:
        gateway.provider.create_payout(builders.payout())
    assert caught.value.provably_failed is False  # and rightly so: the gateway holds the payout
    payouts = SandboxObject.objects.filter(merchant=gateway.merchant, entity=gateway.spec.entity("payout"))
    assert payouts.count() == 1

    gateway.wire.fault = ""
    retried = gateway.provider.create_payout(builders.payout())

    assert payouts.count() == 1
    assert gateway.spec.sandbox_object("payout", retried.gateway_payout_id) == payouts.get()
    assert retried.reference_id == "CPAY-0001"


@over_both
def test_a_5xx_answer_is_an_unknown_outcome(gateway):
    gateway.wire.fault = PROXY_502

    with pytest.raises(GatewayAPIError) as caught:
        gateway.provider.create_order(builders.order())

    error = caught.value
    assert type(error) is GatewayAPIError
    assert (error.http_status, error.provably_failed, error.retryable) == (502, False, True)


@pytest.mark.parametrize("spec", SPECS, ids=spec_id)
@pytest.mark.parametrize("operation", ["create_payout", "create_order", "fetch_payment"])
def test_a_gateway_that_cannot_be_reached_provably_failed(hospital, unreachable_url, spec, operation):
    gateway = open_gateway(spec, hospital=hospital, **spec.host_fields(unreachable_url))

    with pytest.raises(GatewayUnreachableError) as caught:
        STARTS[operation](gateway)

    assert (caught.value.provably_failed, caught.value.retryable) == (True, True)
    assert list(GatewayTransactionLog.objects.values_list("outcome", flat=True)) == ["unreachable"]
