"""Adding a gateway is one folder plus one settings line: Acme Pay (skinspire/gateways/tests/
acme/, registered here only) is stored, validated, shown in admin, read back and guarded
from its configuration schema alone, with no migration and no change to gateway code."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from skinspire.core.errors import ApplicationError
from skinspire.core.roles import ROLE_GATEWAY_ADMIN
from skinspire.core.tests.factories import UserFactory
from skinspire.gateways.credentials import credentials_for
from skinspire.gateways.errors import UnsupportedOperationError
from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.providers.interface import Customer, OrderRequest
from skinspire.gateways.providers.registry import provider_for
from skinspire.gateways.selectors import configuration_for_webhook
from skinspire.gateways.services import gateway_configuration_create
from skinspire.gateways.tests.distinct_secrets import bank_payout, leaks

pytestmark = pytest.mark.django_db

ACME = "acme"
VALUES = {
    "public_key": "ak_0a1b2c3d",
    "merchant_code": "ACME-HOSP-7",
    "region": "in",
    "api_secret": "QZXJ7KWV2HM9YBTPLMN4RC8D",  # 24 characters
    "webhook_secret": "JXQZ4WK9VT2HB7MY",
}
SECRETS = [VALUES["api_secret"], VALUES["webhook_secret"]]


@pytest.fixture(autouse=True)
def acme_registered(settings):
    """The one settings line."""
    settings.GATEWAY_PROVIDERS = {
        **settings.GATEWAY_PROVIDERS,
        ACME: "skinspire.gateways.tests.acme.AcmePayProvider",
    }


def create(hospital, **overrides) -> GatewayConfiguration:
    arguments = {
        "hospital": hospital,
        "branch": None,
        "name": "Acme main",
        "provider": ACME,
        "mode": "test",
        "capabilities": ["collections"],
        "values": VALUES,
        **overrides,
    }
    return gateway_configuration_create(**arguments)


def test_the_new_provider_needs_no_migration():
    out = io.StringIO()

    call_command("makemigrations", "--check", "--dry-run", stdout=out)

    assert "No changes detected" in out.getvalue()


def test_its_values_are_stored_by_kind(hospital):
    configuration = create(hospital)

    stored = GatewayConfiguration.objects.get(pk=configuration.pk)
    assert (stored.key_id, stored.merchant_id, stored.account_number) == ("ak_0a1b2c3d", "ACME-HOSP-7", "")
    assert stored.public_settings == {"region": "in"}
    assert stored.secrets == {"api_secret": VALUES["api_secret"], "webhook_secret": VALUES["webhook_secret"]}
    assert list(configuration_for_webhook(provider=ACME, merchant_id="ACME-HOSP-7")) == [stored]
    credentials = credentials_for(stored)
    assert {name: credentials.value(name) for name in VALUES} == VALUES
    assert leaks(repr(credentials), SECRETS) == []


def test_the_service_applies_its_rules(hospital):
    with pytest.raises(ApplicationError) as error:
        create(
            hospital,
            base_url="https://api.acmepay.example",
            capabilities=["collections", "payouts"],
            values={"public_key": "AK-1", "api_secret": "short"},
        )

    assert error.value.extra["fields"] == {
        "base_url": [
            "In test mode the base URL is https://sandbox.acmepay.example, or a URL listed in "
            "GATEWAY_BASE_URL_ALLOWLIST (the local sandbox)."
        ],
        "capabilities": ["Acme Pay has no API for payouts."],
        "public_key": ["An Acme Pay public key is ak_ and 8 lower-case letters or digits."],
        "merchant_code": ["Acme Pay merchant code is required for Acme Pay."],
        "api_secret": ["Acme Pay API secret is 24 characters; this one is 5."],
        "webhook_secret": ["Acme Pay webhook secret is required for collections."],
    }
    assert GatewayConfiguration.objects.count() == 0


def test_the_guard_refuses_what_its_schema_does_not_offer_before_anything_is_sent(hospital):
    provider = provider_for(create(hospital))

    with pytest.raises(UnsupportedOperationError, match="Acme Pay has no API for payouts") as error:
        provider.create_payout(bank_payout("ACME-1"))

    assert error.value.provider == ACME
    assert provider.credentials.base_url == "https://sandbox.acmepay.example"


def test_an_operation_it_offers_is_still_gated_by_the_configuration(hospital):
    configuration = create(hospital, capabilities=[], values={**VALUES, "webhook_secret": ""})

    with pytest.raises(UnsupportedOperationError, match="is not enabled for collections"):
        provider_for(configuration).create_order(
            OrderRequest(amount=Decimal("10.00"), receipt="ACME-R1", customer=Customer(name="A Patient"))
        )


class TestAdmin:
    @pytest.fixture
    def admin_client(self, client, hospital, branch):
        client.force_login(UserFactory(hospital=hospital, branches=[branch], roles=[ROLE_GATEWAY_ADMIN]))
        return client

    def test_the_add_page_offers_it_with_its_own_fields(self, admin_client):
        html = admin_client.get(reverse("admin:gateways_gatewayconfiguration_add")).content.decode()

        assert '<option value="acme">Acme Pay</option>' in html
        assert "Acme Pay account" in html
        assert 'type="password" name="acme_api_secret"' in html
        assert 'name="acme_region"' in html

    def test_a_gateway_admin_adds_one_and_its_secrets_are_masked(self, admin_client, hospital):
        data = {
            "hospital": hospital.pk,
            "name": "Acme main",
            "provider": ACME,
            "mode": "test",
            "is_active": "on",
            "priority": "10",
            "base_url": "",
            "payout_base_url": "",
            "capabilities": ["collections"],
            "_save": "Save",
            **{f"{ACME}_{name}": value for name, value in VALUES.items()},
        }

        response = admin_client.post(reverse("admin:gateways_gatewayconfiguration_add"), data)

        assert response.status_code == 302, response.context["adminform"].form.errors
        configuration = GatewayConfiguration.objects.get()
        change = reverse("admin:gateways_gatewayconfiguration_change", args=[configuration.pk])
        html = admin_client.get(change).content.decode()
        assert leaks(html, SECRETS) == []
        assert "set: ••••RC8D — leave blank to keep" in html
        assert 'name="acme_public_key" value="ak_0a1b2c3d"' in html
