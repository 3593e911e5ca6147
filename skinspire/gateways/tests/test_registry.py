"""The registry builds providers by dotted path, with credentials read only at build time."""

import pytest
import requests

from skinspire.gateways.errors import GatewayConfigurationError
from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.providers.razorpay import RazorpayProvider
from skinspire.gateways.providers.registry import provider_for
from skinspire.gateways.tests.factories import GatewayConfigurationFactory

pytestmark = pytest.mark.django_db


def test_builds_the_provider_named_in_settings_with_decrypted_credentials(hospital):
    created = GatewayConfigurationFactory(
        hospital=hospital, key_id="rzp_test_Registry0001", razorpay_key_secret="registry_secret_0001"
    )
    configuration = GatewayConfiguration.objects.without_secrets().get(pk=created.pk)

    provider = provider_for(configuration)

    assert isinstance(provider, RazorpayProvider)
    assert provider.configuration is configuration
    assert isinstance(provider.session, requests.Session)
    assert (provider.credentials.key_id, provider.credentials.value("key_secret")) == (
        "rzp_test_Registry0001",
        "registry_secret_0001",
    )
    assert provider.client.auth == ("rzp_test_Registry0001", "registry_secret_0001")
    assert provider.client.base_url == created.effective_base_url
    assert provider.client.retry_enabled is False
    assert "registry_secret_0001" not in repr(provider.credentials)


def test_each_provider_gets_its_own_session(hospital):
    configuration = GatewayConfigurationFactory(hospital=hospital)

    assert provider_for(configuration).session is not provider_for(configuration).session


def test_an_unregistered_provider_is_a_configuration_error(hospital, settings):
    configuration = GatewayConfigurationFactory(hospital=hospital)
    settings.GATEWAY_PROVIDERS = {"paytm": "skinspire.gateways.providers.paytm.PaytmProvider"}

    with pytest.raises(
        GatewayConfigurationError, match="No adapter is registered for the gateway 'razorpay'"
    ):
        provider_for(configuration)


def test_missing_razorpay_keys_are_a_configuration_error(hospital):
    configuration = GatewayConfigurationFactory(hospital=hospital, razorpay_key_secret="")

    with pytest.raises(GatewayConfigurationError, match="no Razorpay key id or key secret") as caught:
        provider_for(configuration)
    assert caught.value.code == "missing_credentials"


def test_builds_paytm_from_the_same_settings_map(hospital):
    from skinspire.gateways.providers.paytm import PaytmProvider

    provider = provider_for(GatewayConfigurationFactory(hospital=hospital, paytm=True))

    assert isinstance(provider, PaytmProvider)
    assert provider.name == "paytm"


def test_a_record_without_a_configuration_gets_no_provider():
    # A nullable configuration foreign key that is empty (a manual payment) reaches no gateway.
    with pytest.raises(GatewayConfigurationError) as raised:
        provider_for(None)

    assert (raised.value.code, raised.value.status_code) == ("no_configuration", 400)
    assert raised.value.message == "There is no gateway configuration to use."
