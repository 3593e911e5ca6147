"""Staff of hospital A never see or change hospital B's gateway configurations."""

import pytest
from django.urls import reverse

from skinspire.core.errors import NotFoundError
from skinspire.core.roles import ROLE_GATEWAY_ADMIN
from skinspire.core.tenancy import get_scoped_object_or_404, scope_queryset
from skinspire.core.tests.factories import HospitalFactory, UserFactory
from skinspire.gateways.credentials import credentials_for
from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.tests.factories import GatewayConfigurationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hospital_a():
    return HospitalFactory(name="Hospital A")


@pytest.fixture
def hospital_b():
    return HospitalFactory(name="Hospital B")


@pytest.fixture
def admin_a(hospital_a):
    return UserFactory(hospital=hospital_a, roles=[ROLE_GATEWAY_ADMIN])


@pytest.fixture
def client_a(client, admin_a):
    client.force_login(admin_a)
    return client


@pytest.fixture
def config_a(hospital_a):
    return GatewayConfigurationFactory(hospital=hospital_a, name="A razorpay")


@pytest.fixture
def config_b(hospital_b):
    return GatewayConfigurationFactory(
        hospital=hospital_b, name="B razorpay", razorpay_key_secret="b_secret_000000001"
    )


def change_url(configuration) -> str:
    return reverse("admin:gateways_gatewayconfiguration_change", args=[configuration.pk])


def test_changelist_shows_only_own_hospital(client_a, config_a, config_b):
    response = client_a.get(reverse("admin:gateways_gatewayconfiguration_changelist"))

    assert list(response.context["cl"].result_list) == [config_a]
    assert "B razorpay" not in response.content.decode()


def test_other_hospitals_change_page_is_not_found(client_a, config_b):
    response = client_a.get(change_url(config_b))

    # The admin treats an out-of-scope id as missing: back to the index, nothing shown.
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_post_to_other_hospitals_configuration_changes_nothing(client_a, hospital_a, config_b):
    data = {
        "hospital": hospital_a.pk,
        "name": "Hijacked",
        "provider": "razorpay",
        "mode": "test",
        "priority": "1",
        "razorpay_key_secret": "attacker_secret_0000001",
        "_save": "Save",
    }

    response = client_a.post(change_url(config_b), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    config_b.refresh_from_db()
    assert (config_b.name, config_b.hospital.name) == ("B razorpay", "Hospital B")
    assert credentials_for(config_b).value("key_secret") == "b_secret_000000001"


def test_adding_for_another_hospital_is_refused(client_a, hospital_b):
    data = {
        "hospital": hospital_b.pk,
        "name": "Sneaky",
        "provider": "razorpay",
        "mode": "test",
        "priority": "1",
    }

    response = client_a.post(reverse("admin:gateways_gatewayconfiguration_add"), data)

    assert "hospital" in response.context["adminform"].form.errors
    assert not GatewayConfiguration.objects.filter(hospital=hospital_b).exists()


def test_scope_queryset_and_lookup_helper(admin_a, config_a, config_b):
    assert list(scope_queryset(GatewayConfiguration.objects.all(), admin_a)) == [config_a]
    assert get_scoped_object_or_404(GatewayConfiguration.objects.all(), admin_a, pk=config_a.pk) == config_a
    with pytest.raises(NotFoundError) as error:
        get_scoped_object_or_404(GatewayConfiguration.objects.all(), admin_a, pk=config_b.pk)
    assert error.value.status_code == 404
