"""gateway_configuration_create / _update and the fallback-order selector."""

import pytest

from skinspire.core.errors import ConflictError
from skinspire.core.tests.factories import BranchFactory
from skinspire.gateways.credentials import credentials_for
from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.selectors import gateway_configurations_usable
from skinspire.gateways.services import gateway_configuration_create, gateway_configuration_update
from skinspire.gateways.tests.factories import GatewayConfigurationFactory

pytestmark = pytest.mark.django_db


def create(hospital, **overrides) -> GatewayConfiguration:
    arguments = {
        "hospital": hospital,
        "branch": None,
        "name": "Razorpay",
        "provider": "razorpay",
        "mode": "test",
        "is_default": True,
        "key_id": "rzp_test_Service0001",
        "secrets": {"razorpay_key_secret": "service_secret_0001"},
        **overrides,
    }
    return gateway_configuration_create(**arguments)


def test_create_stores_the_secrets_given(hospital, staff_user):
    configuration = create(hospital, created_by=staff_user)

    credentials = credentials_for(configuration)
    assert (credentials.key_id, credentials.razorpay_key_secret) == (
        "rzp_test_Service0001",
        "service_secret_0001",
    )
    assert configuration.created_by == staff_user


def test_a_second_default_is_a_conflict_and_writes_nothing(hospital):
    create(hospital)

    with pytest.raises(ConflictError) as error:
        create(hospital, name="Second")

    assert error.value.status_code == 409
    assert list(error.value.extra["fields"]) == ["is_default"]
    assert list(GatewayConfiguration.objects.values_list("name", flat=True)) == ["Razorpay"]


def test_update_ignores_blank_secrets(hospital):
    configuration = create(hospital)

    gateway_configuration_update(
        configuration=configuration,
        changes={"priority": 5},
        secrets={"razorpay_key_secret": "", "razorpay_webhook_secret": "new_whsec_000000001"},
    )

    stored = GatewayConfiguration.objects.get(pk=configuration.pk)
    credentials = credentials_for(stored)
    assert stored.priority == 5
    assert credentials.razorpay_key_secret == "service_secret_0001"
    assert credentials.razorpay_webhook_secret == "new_whsec_000000001"


def test_update_refuses_unknown_fields(hospital):
    configuration = create(hospital)

    with pytest.raises(ValueError, match="created_by"):
        gateway_configuration_update(configuration=configuration, changes={"created_by": None}, secrets={})


def test_usable_configurations_in_fallback_order(hospital):
    branch = BranchFactory(hospital=hospital)
    hospital_default = GatewayConfigurationFactory(hospital=hospital, is_default=True, priority=50)
    hospital_backup = GatewayConfigurationFactory(paytm=True, hospital=hospital, priority=20)
    branch_own = GatewayConfigurationFactory(hospital=hospital, branch=branch, priority=90)
    GatewayConfigurationFactory(hospital=hospital, is_active=False, priority=1)
    GatewayConfigurationFactory(hospital=hospital, branch=BranchFactory(hospital=hospital))
    GatewayConfigurationFactory(hospital=hospital, capabilities=["collections"], priority=30)

    usable = gateway_configurations_usable(
        hospital=hospital, branch=branch, mode="test", capability="payouts"
    )

    assert usable == [branch_own, hospital_default, hospital_backup]
