"""A Gateway admin (not a superuser) manages encrypted configurations in Django admin."""

import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from skinspire.core.roles import ROLE_GATEWAY_ADMIN
from skinspire.core.tests.factories import BranchFactory, UserFactory
from skinspire.gateways.credentials import credentials_for
from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.tests.factories import GatewayConfigurationFactory

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:gateways_gatewayconfiguration_add")
CHANGELIST_URL = reverse("admin:gateways_gatewayconfiguration_changelist")
# The form names each provider's fields "<provider>_<schema field>".
# Public identifiers: plain fields, shown as typed.
RAZORPAY_IDENTIFIERS = {
    "razorpay_key_id": "rzp_test_AdminKey0001",
    "razorpay_account_id": "acc_AdminAccount01",
    "razorpay_account_number": "2323230099887766",
}
RAZORPAY_SECRETS = {
    "razorpay_key_secret": "admin_typed_rzp_secret_9c1e3a41",
    "razorpay_webhook_secret": "admin_typed_whsec_77b0d2f5",
}
RAZORPAY = {**RAZORPAY_IDENTIFIERS, **RAZORPAY_SECRETS}
PAYTM_IDENTIFIERS = {"paytm_mid": "ADMINP00000000000007", "paytm_website": "WEBSTAGING"}
PAYTM_SECRETS = {
    "paytm_merchant_key": "AdmPaytmKey#2026",
    "paytm_subwallet_guid": "0a1b2c3d-0000-4000-8000-00000000beef",
    "paytm_client_id": "C11",
}
PAYTM = {**PAYTM_IDENTIFIERS, **PAYTM_SECRETS}


def stored(configuration, form_values: dict) -> dict:
    """What is stored for each of the form's fields, by the form's names."""
    credentials = credentials_for(configuration)
    prefix = f"{configuration.provider}_"
    return {name: credentials.value(name.removeprefix(prefix)) for name in form_values}


def change_url(configuration) -> str:
    return reverse("admin:gateways_gatewayconfiguration_change", args=[configuration.pk])


@pytest.fixture
def gateway_admin(hospital, branch):
    return UserFactory(hospital=hospital, branches=[branch], roles=[ROLE_GATEWAY_ADMIN])


@pytest.fixture
def admin_client(client, gateway_admin):
    client.force_login(gateway_admin)
    return client


def form_data(hospital, **overrides) -> dict:
    data = {
        "hospital": hospital.pk,
        "branch": "",
        "name": "Razorpay main",
        "provider": "razorpay",
        "mode": "test",
        "is_active": "on",
        "priority": "10",
        "base_url": "http://sandbox.testserver/sandbox/razorpay",
        "payout_base_url": "",
        "capabilities": ["payouts", "collections"],
        **{name: "" for name in [*RAZORPAY, *PAYTM]},
        "_save": "Save",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def test_gateway_admin_adds_encrypted_razorpay_configuration(admin_client, hospital, gateway_admin, caplog):
    with caplog.at_level(logging.DEBUG):
        response = admin_client.post(ADD_URL, form_data(hospital, is_default="on", **RAZORPAY))

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert response["Location"] == CHANGELIST_URL
    configuration = GatewayConfiguration.objects.get()
    assert (configuration.hospital, configuration.branch, configuration.provider) == (
        hospital,
        None,
        "razorpay",
    )
    assert (configuration.is_default, configuration.priority, configuration.created_by) == (
        True,
        10,
        gateway_admin,
    )
    assert configuration.capabilities == ["payouts", "collections"]
    assert stored(configuration, RAZORPAY) == RAZORPAY
    assert (configuration.key_id, configuration.merchant_id) == (
        "rzp_test_AdminKey0001",
        "acc_AdminAccount01",
    )
    assert "secrets set: key_secret, webhook_secret" in caplog.text
    for secret in RAZORPAY_SECRETS.values():
        assert secret not in caplog.text
    assert response.wsgi_request.sensitive_post_parameters == "__ALL__"


def test_gateway_admin_adds_encrypted_paytm_configuration(admin_client, hospital, branch, caplog):
    data = form_data(hospital, name="Paytm city", provider="paytm", branch=branch.pk, **PAYTM)

    with caplog.at_level(logging.DEBUG):
        response = admin_client.post(ADD_URL, data)

    assert response.status_code == 302
    configuration = GatewayConfiguration.objects.get()
    assert (configuration.provider, configuration.branch) == ("paytm", branch)
    assert stored(configuration, PAYTM) == PAYTM
    assert (configuration.key_id, configuration.merchant_id) == ("ADMINP00000000000007",) * 2
    for secret in PAYTM_SECRETS.values():
        if len(secret) > 3:  # "C11" occurs in unrelated text; the rest must not appear at all
            assert secret not in caplog.text


def test_change_page_never_shows_a_secret(admin_client, hospital):
    configuration = GatewayConfigurationFactory(hospital=hospital, **RAZORPAY)

    html = admin_client.get(change_url(configuration)).content.decode()

    for secret in RAZORPAY_SECRETS.values():
        assert secret not in html
    assert "set: ••••3a41 — leave blank to keep" in html
    assert "set: ••••d2f5 — leave blank to keep" in html
    assert 'type="password" name="razorpay_key_secret"' in html
    assert html.count("Not set.") == 3  # the Paytm secrets


def test_change_page_shows_the_public_identifiers_plainly(admin_client, hospital):
    configuration = GatewayConfigurationFactory(hospital=hospital, **RAZORPAY)

    html = admin_client.get(change_url(configuration)).content.decode()

    for name, value in RAZORPAY_IDENTIFIERS.items():
        assert f'name="{name}" value="{value}"' in html


def test_blank_keeps_a_secret_and_a_typed_one_replaces_it(admin_client, hospital, caplog):
    configuration = GatewayConfigurationFactory(hospital=hospital, **RAZORPAY)
    data = form_data(
        hospital, name="Renamed", razorpay_key_secret="replacement_secret_000001", **RAZORPAY_IDENTIFIERS
    )

    with caplog.at_level(logging.DEBUG):
        response = admin_client.post(change_url(configuration), data)

    assert response.status_code == 302
    configuration.refresh_from_db()
    assert configuration.name == "Renamed"
    assert stored(configuration, RAZORPAY) == {**RAZORPAY, "razorpay_key_secret": "replacement_secret_000001"}
    assert "secrets replaced: key_secret" in caplog.text
    assert "replacement_secret_000001" not in caplog.text


def test_a_form_error_does_not_echo_the_typed_secret(admin_client, hospital):
    data = form_data(hospital, razorpay_key_secret="typed_but_rejected_secret_01")  # no key id

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 200
    assert "typed_but_rejected_secret_01" not in response.content.decode()
    assert response.context["adminform"].form.errors == {
        "razorpay_key_id": ["Razorpay key id is required for Razorpay."],
        "razorpay_account_id": ["Razorpay account id is required for Razorpay."],
        "razorpay_account_number": ["RazorpayX account number is required for payouts."],
    }
    assert GatewayConfiguration.objects.count() == 0


def test_second_default_for_the_same_hospital_and_mode_is_a_form_error(admin_client, hospital):
    existing = GatewayConfigurationFactory(hospital=hospital, name="Current default", is_default=True)

    response = admin_client.post(ADD_URL, form_data(hospital, is_default="on", **RAZORPAY))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["is_default"]
    assert "(It is “Current default”.)" in errors["is_default"][0]
    assert list(GatewayConfiguration.objects.values_list("pk", flat=True)) == [existing.pk]


def test_a_default_per_branch_and_per_mode_is_allowed(admin_client, hospital, branch):
    GatewayConfigurationFactory(hospital=hospital, is_default=True)
    GatewayConfigurationFactory(hospital=hospital, is_default=True, mode="live")

    response = admin_client.post(ADD_URL, form_data(hospital, is_default="on", branch=branch.pk, **RAZORPAY))

    assert response.status_code == 302
    assert GatewayConfiguration.objects.filter(is_default=True).count() == 3


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        (
            {"paytm_mid": "ADMINP00000000000007", "paytm_merchant_key": "fifteen-chars-k"},
            {
                "paytm_merchant_key": ["Paytm merchant key is 16 characters; this one is 15."],
                "paytm_subwallet_guid": ["Paytm payout subwallet GUID is required for payouts."],
            },
        ),
        (
            {},
            {
                "paytm_mid": ["Paytm MID is required for Paytm."],
                "paytm_merchant_key": ["Paytm merchant key is required for Paytm."],
                "paytm_subwallet_guid": ["Paytm payout subwallet GUID is required for payouts."],
            },
        ),
    ],
)
def test_paytm_validation(admin_client, hospital, overrides, errors):
    response = admin_client.post(ADD_URL, form_data(hospital, provider="paytm", **overrides))

    assert response.context["adminform"].form.errors == errors
    assert GatewayConfiguration.objects.count() == 0


def test_collections_only_razorpay_needs_no_razorpayx_account(admin_client, hospital):
    secrets = {**RAZORPAY, "razorpay_account_number": ""}

    response = admin_client.post(ADD_URL, form_data(hospital, capabilities=["collections"], **secrets))

    assert response.status_code == 302
    assert credentials_for(GatewayConfiguration.objects.get()).account_number == ""


def test_branch_of_another_hospital_is_refused(admin_client, hospital):
    foreign_branch = BranchFactory()

    response = admin_client.post(ADD_URL, form_data(hospital, branch=foreign_branch.pk, **RAZORPAY))

    assert "branch" in response.context["adminform"].form.errors
    assert GatewayConfiguration.objects.count() == 0


def test_changelist_lists_without_secrets(admin_client, hospital):
    GatewayConfigurationFactory(hospital=hospital, name="Listed razorpay", **RAZORPAY)
    GatewayConfigurationFactory(paytm=True, hospital=hospital, name="Listed paytm", **PAYTM)

    with CaptureQueriesContext(connection) as queries:
        html = admin_client.get(CHANGELIST_URL).content.decode()

    assert "Listed razorpay" in html and "Listed paytm" in html
    for secret in [*RAZORPAY_SECRETS.values(), *PAYTM_SECRETS.values()]:
        if len(secret) > 3:
            assert secret not in html
    configuration_sql = " ".join(
        query["sql"] for query in queries.captured_queries if "gateways_gatewayconfiguration" in query["sql"]
    )
    assert '"secrets"' not in configuration_sql


def test_a_fields_own_error_and_the_services_rules_are_shown_together(admin_client, hospital):
    too_long = "QZ" * 101  # 202 characters: over the key secret's 200
    data = form_data(
        hospital, base_url="https://attacker.example", **{**RAZORPAY, "razorpay_key_secret": too_long}
    )

    response = admin_client.post(ADD_URL, data)

    errors = response.context["adminform"].form.errors
    assert errors["razorpay_key_secret"] == ["Ensure this value has at most 200 characters (it has 202)."]
    assert list(errors) == ["razorpay_key_secret", "base_url"]
    assert too_long not in response.content.decode()
    assert GatewayConfiguration.objects.count() == 0


def test_a_change_checks_the_branch_and_the_default_against_the_stored_hospital(client, hospital):
    # The hospital cannot be changed on the change page; the rules that involve it still
    # apply, as field messages, not as a refusal from the service or the database (a 500).
    client.force_login(UserFactory(hospital=None, is_superuser=True))
    GatewayConfigurationFactory(hospital=hospital, name="Current default", is_default=True)
    configuration = GatewayConfigurationFactory(hospital=hospital, **RAZORPAY)

    elsewhere = client.post(
        change_url(configuration), form_data(hospital, branch=BranchFactory().pk, **RAZORPAY_IDENTIFIERS)
    )
    second_default = client.post(
        change_url(configuration), form_data(hospital, is_default="on", **RAZORPAY_IDENTIFIERS)
    )

    assert elsewhere.status_code == 200
    assert elsewhere.context["adminform"].form.errors["branch"] == [
        "This branch belongs to another hospital."
    ]
    assert second_default.status_code == 200
    assert (
        second_default.context["adminform"]
        .form.errors["is_default"][0]
        .startswith("Another active configuration is already the default")
    )
    configuration.refresh_from_db()
    assert configuration.branch_id is None and not configuration.is_default
