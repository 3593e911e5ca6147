"""gateway_configuration_create / _update: values by the provider's schema names, stored by
kind, and every rule enforced by the service itself (not only by the admin form)."""

import json

import pytest
from django.db import connection

from skinspire.core.errors import ApplicationError, ConflictError
from skinspire.core.tests.factories import BranchFactory
from skinspire.gateways.credentials import credentials_for
from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.services import gateway_configuration_create, gateway_configuration_update

pytestmark = pytest.mark.django_db

SANDBOX = "http://sandbox.testserver/sandbox"
RAZORPAY_VALUES = {
    "key_id": "rzp_test_Service0001",
    "account_id": "acc_Service0000001",
    "key_secret": "service_secret_0001",
}
PAYTM_VALUES = {"mid": "SRVICE00000000000001", "merchant_key": "ServiceKey123456", "website": "WEBSTAGING"}


def create(hospital, **overrides) -> GatewayConfiguration:
    arguments = {
        "hospital": hospital,
        "branch": None,
        "name": "Razorpay",
        "provider": "razorpay",
        "mode": "test",
        "is_default": True,
        "base_url": f"{SANDBOX}/razorpay",
        "capabilities": ["collections"],
        "values": RAZORPAY_VALUES,
        **overrides,
    }
    return gateway_configuration_create(**arguments)


def raw_row(pk: int) -> dict:
    columns = ("key_id", "merchant_id", "account_number", "public_settings", "secrets")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM gateways_gatewayconfiguration WHERE id = %s", [pk])
        return dict(zip(columns, cursor.fetchone(), strict=True))


def refused(hospital, **overrides) -> dict:
    with pytest.raises(ApplicationError) as error:
        create(hospital, **overrides)
    assert GatewayConfiguration.objects.count() == 0
    return error.value.extra["fields"]


def test_create_stores_public_values_plainly_and_secrets_in_one_encrypted_column(hospital, staff_user):
    configuration = create(hospital, created_by=staff_user)

    row = raw_row(configuration.pk)
    assert (row["key_id"], row["merchant_id"], row["account_number"]) == (
        "rzp_test_Service0001",
        "acc_Service0000001",
        "",
    )
    assert row["secrets"].startswith("gAAAA")
    assert "service_secret_0001" not in row["secrets"]
    credentials = credentials_for(configuration)
    assert (credentials.value("key_id"), credentials.value("key_secret")) == (
        "rzp_test_Service0001",
        "service_secret_0001",
    )
    assert configuration.created_by == staff_user


def test_a_public_setting_is_kept_in_plain_json(hospital):
    configuration = create(
        hospital,
        provider="paytm",
        base_url=f"{SANDBOX}/paytm",
        payout_base_url=f"{SANDBOX}/paytm",
        values=PAYTM_VALUES,
    )

    row = raw_row(configuration.pk)
    assert (row["key_id"], row["merchant_id"]) == ("SRVICE00000000000001", "SRVICE00000000000001")
    assert json.loads(row["public_settings"]) == {"website": "WEBSTAGING"}
    assert credentials_for(configuration).value("merchant_key") == "ServiceKey123456"


def test_a_second_default_is_a_conflict_and_writes_nothing(hospital):
    create(hospital)

    with pytest.raises(ConflictError) as error:
        create(hospital, name="Second")

    assert error.value.status_code == 409
    assert list(error.value.extra["fields"]) == ["is_default"]
    assert list(GatewayConfiguration.objects.values_list("name", flat=True)) == ["Razorpay"]


def test_update_keeps_blank_secrets_and_public_values_not_given(hospital):
    configuration = create(hospital)

    gateway_configuration_update(
        configuration=configuration,
        changes={"priority": 5},
        values={"key_secret": "", "webhook_secret": "new_whsec_000000001"},
    )

    stored = GatewayConfiguration.objects.get(pk=configuration.pk)
    credentials = credentials_for(stored)
    assert stored.priority == 5
    assert credentials.value("key_secret") == "service_secret_0001"
    assert credentials.value("webhook_secret") == "new_whsec_000000001"
    assert (stored.key_id, stored.merchant_id) == ("rzp_test_Service0001", "acc_Service0000001")


def test_update_refuses_unknown_fields_and_values(hospital):
    configuration = create(hospital)

    with pytest.raises(ValueError, match="created_by"):
        gateway_configuration_update(configuration=configuration, changes={"created_by": None})
    with pytest.raises(ValueError, match="merchant_key"):
        gateway_configuration_update(
            configuration=configuration, changes={}, values={"merchant_key": "x" * 16}
        )


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        (
            {"values": {"key_secret": "only_the_secret_01"}},
            {
                "key_id": ["Razorpay key id is required for Razorpay."],
                "account_id": ["Razorpay account id is required for Razorpay."],
            },
        ),
        (
            {"values": {**RAZORPAY_VALUES, "key_id": "key_Service0001", "account_id": "acc_short"}},
            {
                "key_id": ["A Razorpay key id starts with rzp_test_ or rzp_live_."],
                "account_id": [
                    "A Razorpay account id is acc_ and 14 letters or digits (Dashboard → Account & Settings)."
                ],
            },
        ),
        (
            {"capabilities": ["payouts"]},
            {"account_number": ["RazorpayX account number is required for payouts."]},
        ),
        (
            {
                "provider": "paytm",
                "base_url": f"{SANDBOX}/paytm",
                "payout_base_url": f"{SANDBOX}/paytm",
                "capabilities": ["payout_links", "payouts"],
                "values": {**PAYTM_VALUES, "merchant_key": "fifteen-chars-k"},
            },
            {
                "capabilities": ["Paytm has no API for payout_links."],
                "merchant_key": ["Paytm merchant key is 16 characters; this one is 15."],
                "subwallet_guid": ["Paytm payout subwallet GUID is required for payouts."],
            },
        ),
        (
            {"provider": "stripe"},
            {
                "provider": [
                    "No adapter is registered for the gateway 'stripe' (registered: razorpay, paytm)."
                ]
            },
        ),
    ],
    ids=["required", "format", "required-for-a-capability", "paytm", "unregistered"],
)
def test_the_service_enforces_the_providers_schema(hospital, overrides, errors):
    assert refused(hospital, **overrides) == errors


def test_the_service_refuses_a_branch_of_another_hospital(hospital):
    assert refused(hospital, branch=BranchFactory()) == {
        "branch": ["This branch belongs to another hospital."]
    }


def test_a_change_of_provider_leaves_nothing_of_the_old_one(hospital):
    configuration = create(hospital, values={**RAZORPAY_VALUES, "account_number": "7878780011112222"})

    gateway_configuration_update(
        configuration=configuration,
        changes={"provider": "paytm", "base_url": f"{SANDBOX}/paytm", "payout_base_url": f"{SANDBOX}/paytm"},
        values=PAYTM_VALUES,
    )

    stored = GatewayConfiguration.objects.get(pk=configuration.pk)
    assert (stored.key_id, stored.merchant_id, stored.account_number) == (
        "SRVICE00000000000001",
        "SRVICE00000000000001",
        "",
    )
    assert stored.secrets == {"merchant_key": "ServiceKey123456"}
    assert stored.public_settings == {"website": "WEBSTAGING"}
