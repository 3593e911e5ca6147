"""The adapter contract, construction: every adapter is built by the registry through the
base class, so `.configuration`, `.credentials` and `.session` mean the same everywhere,
and the base class's checks (capability, amounts) wrap every operation an adapter defines.
"""

import pytest
import requests

from skinspire.gateways.credentials import credentials_for
from skinspire.gateways.errors import GatewayConfigurationError
from skinspire.gateways.providers.interface import PaymentProvider
from skinspire.gateways.providers.interface.guards import GUARDED_OPERATIONS, is_guarded
from skinspire.gateways.providers.registry import provider_class
from skinspire.gateways.tests.contract import builders
from skinspire.gateways.tests.contract.gateways import SPECS, open_gateway, over_both, spec_id

pytestmark = pytest.mark.django_db

MISSING_KEYS = {
    "razorpay": {"razorpay_key_secret": ""},
    "paytm": {"paytm_merchant_key": ""},
}


@over_both
def test_the_registry_builds_the_adapter_through_the_base_class(gateway):
    provider = gateway.provider

    assert isinstance(provider, PaymentProvider)
    assert provider.name == gateway.spec.name
    assert provider.configuration is gateway.configuration
    assert provider.credentials == credentials_for(gateway.configuration)
    assert isinstance(provider.session, requests.Session)
    # The adapter speaks through that very session: the wire mounted on it sees the call.
    provider.create_order(builders.order())
    assert [request.method for request in gateway.wire.sent] == ["POST"]


@pytest.mark.parametrize("spec", SPECS, ids=spec_id)
def test_every_operation_an_adapter_defines_is_guarded_by_the_base_class(spec):
    adapter = provider_class(spec.name)

    defined = {
        operation
        for operation in GUARDED_OPERATIONS
        if getattr(adapter, operation) is not getattr(PaymentProvider, operation)
    }

    assert defined == GUARDED_OPERATIONS - set(spec.unsupported_operations)
    assert all(is_guarded(getattr(adapter, operation)) for operation in defined)


@pytest.mark.parametrize("spec", SPECS, ids=spec_id)
def test_a_configuration_without_its_keys_is_refused_when_the_adapter_is_built(hospital, spec):
    with pytest.raises(GatewayConfigurationError) as caught:
        open_gateway(spec, hospital=hospital, **MISSING_KEYS[spec.name])

    assert (caught.value.code, caught.value.provider, caught.value.provably_failed) == (
        "missing_credentials",
        spec.name,
        True,
    )
