"""The adapter-side guard: a configuration row that points elsewhere (written around the
services, by raw SQL) is refused before any request leaves with its credentials, and an
adapter's session sends nothing outside its configuration's base URLs, redirects included."""

import pytest
import responses
from django.db import connection

from skinspire.gateways.errors import GatewayConfigurationError
from skinspire.gateways.http import new_session
from skinspire.gateways.manager import run_with_fallback
from skinspire.gateways.models import GatewayConfiguration, GatewayTransactionLog
from skinspire.gateways.providers.registry import provider_for
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.gateways.tests.test_razorpay_support import payout_entity

pytestmark = pytest.mark.django_db

ATTACKER = "https://attacker.example"
METADATA = "http://169.254.169.254/latest/meta-data"


def point_by_sql(configuration: GatewayConfiguration, column: str, url: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE gateways_gatewayconfiguration SET {column} = %s WHERE id = %s", [url, configuration.pk]
        )


def fetch(gateway, configuration):
    return gateway.fetch_payout(gateway_payout_id="pout_00000000000001")


@pytest.mark.parametrize(
    ("provider", "mode", "column", "url"),
    [
        ("razorpay", "test", "base_url", ATTACKER),
        ("razorpay", "test", "base_url", METADATA),
        ("razorpay", "live", "base_url", "http://sandbox.testserver/sandbox/razorpay"),
        ("razorpay", "test", "payout_base_url", ATTACKER),
        ("paytm", "test", "payout_base_url", METADATA),
        ("paytm", "live", "base_url", "https://securestage.paytmpayments.com"),
    ],
)
def test_a_row_pointing_elsewhere_is_refused_before_anything_is_sent(hospital, provider, mode, column, url):
    configuration = GatewayConfigurationFactory(hospital=hospital, paytm=provider == "paytm", mode=mode)
    point_by_sql(configuration, column, url)
    configuration = GatewayConfiguration.objects.get(pk=configuration.pk)

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        with pytest.raises(GatewayConfigurationError) as refused:
            provider_for(configuration)
        assert len(mock.calls) == 0

    assert refused.value.code == "base_url_refused"
    assert refused.value.extra["field"] == column
    assert refused.value.status_code == 400


def test_the_manager_refuses_it_through_the_same_guard(hospital):
    configuration = GatewayConfigurationFactory(hospital=hospital, is_default=True)
    point_by_sql(configuration, "base_url", METADATA)

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        with pytest.raises(GatewayConfigurationError) as refused:
            run_with_fallback(hospital=hospital, capability="payouts", operation=fetch)
        assert len(mock.calls) == 0

    assert refused.value.extra["tried"] == [
        {
            "configuration_id": configuration.pk,
            "provider": "razorpay",
            "error": "GatewayConfigurationError",
            "code": "base_url_refused",
            "provably_failed": True,
        }
    ]


def test_an_adapter_session_does_not_follow_a_redirect_to_another_host(hospital):
    configuration = GatewayConfigurationFactory(hospital=hospital, base_url="https://api.razorpay.test")
    provider = provider_for(configuration)

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.get(
            "https://api.razorpay.test/v1/payouts/pout_00000000000001",
            status=302,
            headers={"Location": f"{ATTACKER}/collect"},
        )
        mock.get(f"{ATTACKER}/collect", json=payout_entity())
        with pytest.raises(GatewayConfigurationError) as refused:
            provider.fetch_payout(gateway_payout_id="pout_00000000000001")
        sent_to = [call.request.url for call in mock.calls]

    assert sent_to == ["https://api.razorpay.test/v1/payouts/pout_00000000000001"]
    assert refused.value.code == "base_url_refused"
    assert refused.value.extra["host"] == "attacker.example"
    row = GatewayTransactionLog.objects.get()
    assert (row.operation, row.outcome) == ("fetch_payout", GatewayTransactionLog.Outcome.ERROR)


def test_a_bound_session_refuses_lookalike_urls():
    session = new_session(allowed_base_urls=("https://api.razorpay.test",))

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        for url in (
            "https://api.razorpay.test.attacker.example/v1/payouts",
            "https://api.razorpay.test@attacker.example/v1/payouts",
            "http://api.razorpay.test/v1/payouts",
            "https://api.razorpay.test:8443/v1/payouts",
        ):
            with pytest.raises(GatewayConfigurationError):
                session.get(url)
        assert len(mock.calls) == 0
