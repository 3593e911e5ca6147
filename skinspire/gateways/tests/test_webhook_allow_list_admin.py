"""A gateway admin sets the addresses a configuration's webhooks may come from; only
addresses and networks are accepted, and the change is audited."""

import pytest
from django.urls import reverse

from skinspire.core.audit import AuditEntry
from skinspire.core.roles import ROLE_GATEWAY_ADMIN
from skinspire.core.tests.factories import UserFactory
from skinspire.gateways.forms import GatewayConfigurationForm
from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.services import gateway_configuration_update
from skinspire.gateways.tests.factories import GatewayConfigurationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def configuration(hospital):
    return GatewayConfigurationFactory(hospital=hospital, webhook_allowed_ips=["10.1.0.0/16"])


def form_for(configuration, allowed: str) -> GatewayConfigurationForm:
    initial = GatewayConfigurationForm(instance=configuration).initial
    data = {name: value for name, value in initial.items() if value is not None and name != "capabilities"}
    data.update({"capabilities": configuration.capabilities, "webhook_allowed_ips": allowed})
    return GatewayConfigurationForm(data=data, instance=configuration)


def test_the_form_shows_one_entry_per_line_and_reads_them_back(configuration):
    assert GatewayConfigurationForm(instance=configuration).initial["webhook_allowed_ips"] == "10.1.0.0/16"

    form = form_for(configuration, "10.1.0.0/16\n\n 192.0.2.7 \n2001:db8::/32")

    assert form.is_valid(), form.errors
    assert form.cleaned_data["webhook_allowed_ips"] == ["10.1.0.0/16", "192.0.2.7", "2001:db8::/32"]


def test_an_entry_that_is_no_address_is_refused(configuration):
    form = form_for(configuration, "10.1.0.0/16\nhooks.razorpay.com")

    assert not form.is_valid()
    assert form.errors["webhook_allowed_ips"] == ["'hooks.razorpay.com' is not an IP address or network."]


def test_a_change_is_saved_and_audited(configuration):
    gateway_configuration_update(
        configuration=configuration, changes={"webhook_allowed_ips": ["192.0.2.0/24"]}
    )

    assert GatewayConfiguration.objects.get(pk=configuration.pk).webhook_allowed_ips == ["192.0.2.0/24"]
    entry = AuditEntry.objects.filter(action="gateway_configuration.update").latest("id")
    assert entry.changes == {"webhook_allowed_ips": {"from": ["10.1.0.0/16"], "to": ["192.0.2.0/24"]}}


def test_the_admin_page_has_the_field(client, hospital, configuration):
    client.force_login(UserFactory(hospital=hospital, roles=[ROLE_GATEWAY_ADMIN]))

    response = client.get(reverse("admin:gateways_gatewayconfiguration_change", args=[configuration.pk]))

    assert response.status_code == 200
    assert 'name="webhook_allowed_ips"' in response.content.decode()
    assert "\n10.1.0.0/16</textarea>" in response.content.decode()
