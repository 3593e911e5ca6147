"""Where a configuration may send its credentials: the base-URL rule, enforced by the
service for every writer (admin form, service calls, demo data).

Live: the provider's own host only. Test: the provider's test host or an allow-listed
URL (GATEWAY_BASE_URL_ALLOWLIST). Metadata and link-local addresses never; loopback and
private ones only in development. Changing provider, mode or a base URL clears the secrets.
"""

import io

import pytest
from django.urls import reverse

from skinspire.core.errors import ApplicationError
from skinspire.core.models import AuditEntry
from skinspire.core.roles import ROLE_GATEWAY_ADMIN
from skinspire.core.tests.factories import UserFactory
from skinspire.gateways.credentials import credentials_for
from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.services import gateway_configuration_create, gateway_configuration_update
from skinspire.sandbox import demo

pytestmark = pytest.mark.django_db

SANDBOX = "http://sandbox.testserver/sandbox"
LIVE_ONLY = "In live mode the base URL is the provider's own: leave it empty or use https://api.razorpay.com."
TEST_ONLY = (
    "In test mode the base URL is https://api.razorpay.com, or a URL listed in "
    "GATEWAY_BASE_URL_ALLOWLIST (the local sandbox)."
)
IDENTIFIERS = {
    "key_id": "rzp_test_RuleKey00001",
    "account_id": "acc_RuleAccount001",
    "account_number": "7878780011223344",
}
SECRETS = {"key_secret": "rule_key_secret_000000001", "webhook_secret": "rule_webhook_secret_0001"}
VALUES = {
    "razorpay": {**IDENTIFIERS, **SECRETS},
    "paytm": {
        "mid": "RULEMD00000000000001",
        "merchant_key": "RuleKey123456789",
        "subwallet_guid": "rule-subwallet",
    },
}
# The admin form's names for the Razorpay values.
FORM_VALUES = {f"razorpay_{name}": value for name, value in VALUES["razorpay"].items()}


def create(hospital, **overrides) -> GatewayConfiguration:
    arguments = {
        "hospital": hospital,
        "branch": None,
        "name": "Razorpay",
        "provider": "razorpay",
        "mode": "test",
        "base_url": f"{SANDBOX}/razorpay",
        "capabilities": ["payouts", "collections"],
        "values": VALUES[overrides.get("provider", "razorpay")],
        **overrides,
    }
    return gateway_configuration_create(**arguments)


def refused(hospital, **overrides) -> dict:
    with pytest.raises(ApplicationError) as error:
        create(hospital, **overrides)
    assert GatewayConfiguration.objects.count() == 0
    assert error.value.status_code == 400
    return error.value.extra["fields"]


@pytest.mark.parametrize(
    ("provider", "mode", "base_url", "payout_base_url"),
    [
        ("razorpay", "live", "", ""),
        ("razorpay", "live", "https://api.razorpay.com/", ""),
        ("razorpay", "test", "https://api.razorpay.com", "https://api.razorpay.com"),
        ("razorpay", "test", f"{SANDBOX}/razorpay", ""),
        ("paytm", "live", "https://secure.paytmpayments.com", "https://dashboard.paytm.com"),
        ("paytm", "live", "https://securegw.paytm.in", ""),
        ("paytm", "test", "https://securestage.paytmpayments.com", "https://staging-dashboard.paytm.com"),
        ("paytm", "test", f"{SANDBOX}/paytm", f"{SANDBOX}/paytm"),
    ],
)
def test_official_hosts_and_the_allow_listed_sandbox_are_accepted(
    hospital, provider, mode, base_url, payout_base_url
):
    configuration = create(
        hospital, provider=provider, mode=mode, base_url=base_url, payout_base_url=payout_base_url
    )

    assert configuration.base_url == base_url


def test_live_mode_refuses_any_other_host(hospital):
    assert refused(hospital, mode="live", base_url="https://attacker.example") == {"base_url": [LIVE_ONLY]}


def test_live_mode_refuses_the_sandbox_too(hospital):
    assert refused(hospital, mode="live", base_url=f"{SANDBOX}/razorpay") == {"base_url": [LIVE_ONLY]}


def test_live_paytm_refuses_the_staging_hosts(hospital):
    fields = refused(
        hospital,
        provider="paytm",
        mode="live",
        base_url="https://securestage.paytmpayments.com",
        payout_base_url="https://staging-dashboard.paytm.com",
    )

    assert fields == {
        "base_url": [
            "In live mode the base URL is the provider's own: leave it empty or use "
            "https://secure.paytmpayments.com or https://securegw.paytm.in."
        ],
        "payout_base_url": [
            "In live mode the payout base URL is the provider's own: leave it empty or use https://dashboard.paytm.com."
        ],
    }


@pytest.mark.parametrize(
    "base_url",
    [
        "https://attacker.example",
        "http://169.254.169.254/latest/meta-data",
        "http://sandbox.testserver@attacker.example/sandbox/razorpay",
        "http://sandbox.testserver.attacker.example/sandbox/razorpay",
        "http://sandbox.testserver/sandboxed",
        "https://api.razorpay.com.attacker.example",
    ],
)
def test_test_mode_refuses_hosts_off_the_allow_list(hospital, base_url):
    fields = refused(hospital, base_url=base_url)

    assert list(fields) == ["base_url"]


def test_the_same_rule_applies_to_the_payout_base_url(hospital):
    fields = refused(hospital, payout_base_url="http://169.254.169.254/latest/meta-data")

    assert fields == {"payout_base_url": [TEST_ONLY.replace("base URL", "payout base URL")]}


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://169.254.169.254/latest", "169.254.169.254 is a cloud metadata address"),
        ("http://2852039166/latest", "2852039166 is a cloud metadata address"),
        (
            "http://metadata.google.internal/computeMetadata",
            "metadata.google.internal is a cloud metadata address",
        ),
        ("http://[fe80::1]/x", "fe80::1 is a link-local or unroutable address"),
        ("http://10.0.0.5/x", "10.0.0.5 is a loopback or private address"),
        ("http://127.0.0.1:8000/sandbox", "127.0.0.1 is a loopback or private address"),
        ("http://localhost:8000/sandbox", "localhost is a loopback or private address"),
    ],
)
def test_private_and_metadata_addresses_are_refused_outside_development_even_if_listed(
    hospital, settings, url, problem
):
    settings.GATEWAY_BASE_URL_ALLOWLIST = [url]
    settings.GATEWAY_ALLOW_PRIVATE_ADDRESSES = False

    fields = refused(hospital, base_url=url)

    assert fields == {"base_url": [f"{problem}; gateway credentials are never sent there."]}


def test_development_allows_a_listed_loopback_sandbox_but_never_metadata(hospital, settings):
    settings.GATEWAY_BASE_URL_ALLOWLIST = ["http://127.0.0.1:8000/sandbox", "http://169.254.169.254"]
    settings.GATEWAY_ALLOW_PRIVATE_ADDRESSES = True

    create(hospital, base_url="http://127.0.0.1:8000/sandbox/razorpay")
    with pytest.raises(ApplicationError) as error:
        create(hospital, name="Metadata", base_url="http://169.254.169.254/latest")

    assert error.value.extra["fields"]["base_url"] == [
        "169.254.169.254 is a cloud metadata address; gateway credentials are never sent there."
    ]
    assert list(GatewayConfiguration.objects.values_list("name", flat=True)) == ["Razorpay"]


def test_an_update_is_checked_too_and_writes_nothing_when_refused(hospital):
    configuration = create(hospital)

    with pytest.raises(ApplicationError):
        gateway_configuration_update(
            configuration=configuration, changes={"base_url": "http://169.254.169.254/"}
        )

    stored = GatewayConfiguration.objects.get()
    assert stored.base_url == f"{SANDBOX}/razorpay"
    assert credentials_for(stored).value("key_secret") == SECRETS["key_secret"]


@pytest.mark.parametrize(
    "changes",
    [
        {"base_url": "https://api.razorpay.com"},
        {"payout_base_url": "https://api.razorpay.com"},
        {"mode": "live", "base_url": ""},
    ],
)
def test_moving_the_credentials_elsewhere_clears_them(hospital, changes):
    configuration = create(hospital)

    gateway_configuration_update(
        configuration=configuration, changes=changes, values={"key_secret": "entered_for_the_move_01"}
    )

    credentials = credentials_for(GatewayConfiguration.objects.get())
    assert credentials.secrets == {"key_secret": "entered_for_the_move_01", "webhook_secret": ""}
    # Public identifiers are not credentials: they stay, in plain sight, to be corrected.
    assert credentials.public == IDENTIFIERS


def test_a_move_that_would_leave_a_required_secret_behind_is_refused(hospital):
    configuration = create(hospital)

    with pytest.raises(ApplicationError) as error:
        gateway_configuration_update(
            configuration=configuration, changes={"base_url": "https://api.razorpay.com"}
        )

    assert error.value.extra["fields"] == {"key_secret": ["Razorpay key secret is required for Razorpay."]}
    stored = GatewayConfiguration.objects.get()
    assert stored.base_url == f"{SANDBOX}/razorpay"
    assert credentials_for(stored).secrets == SECRETS


def test_secrets_typed_with_the_move_are_kept_and_the_rest_cleared(hospital):
    configuration = create(hospital)

    gateway_configuration_update(
        configuration=configuration,
        changes={"base_url": "https://api.razorpay.com"},
        values={"key_id": "rzp_test_NewHost00001", "key_secret": "new_host_secret_0000001"},
    )

    credentials = credentials_for(GatewayConfiguration.objects.get())
    assert (credentials.key_id, credentials.value("key_secret")) == (
        "rzp_test_NewHost00001",
        "new_host_secret_0000001",
    )
    assert credentials.value("webhook_secret") == ""


def test_the_same_destination_spelled_differently_keeps_the_secrets(hospital):
    configuration = create(hospital, base_url="")

    gateway_configuration_update(
        configuration=configuration,
        changes={"base_url": "https://api.razorpay.com/", "name": "Renamed"},
    )

    assert credentials_for(GatewayConfiguration.objects.get()).value("key_secret") == SECRETS["key_secret"]


def test_demo_data_obeys_the_rule(hospital, settings):
    settings.GATEWAY_BASE_URL_ALLOWLIST = []

    with pytest.raises(ApplicationError):
        demo.seed(hospital=hospital, out=io.StringIO())

    assert GatewayConfiguration.objects.count() == 0


class TestAdminForm:
    @pytest.fixture
    def admin_client(self, client, hospital, branch):
        client.force_login(UserFactory(hospital=hospital, branches=[branch], roles=[ROLE_GATEWAY_ADMIN]))
        return client

    @staticmethod
    def data(hospital, **overrides) -> dict:
        return {
            "hospital": hospital.pk,
            "name": "Razorpay",
            "provider": "razorpay",
            "mode": "test",
            "is_active": "on",
            "priority": "10",
            "base_url": f"{SANDBOX}/razorpay",
            "payout_base_url": "",
            "capabilities": ["payouts"],
            "_save": "Save",
            **overrides,
        }

    def test_the_services_message_is_shown_on_the_field(self, admin_client, hospital):
        response = admin_client.post(
            reverse("admin:gateways_gatewayconfiguration_add"),
            self.data(
                hospital,
                mode="live",
                base_url="",
                payout_base_url="http://169.254.169.254/",
                **FORM_VALUES,
            ),
        )

        assert response.status_code == 200
        assert response.context["adminform"].form.errors == {
            "payout_base_url": [
                "In live mode the payout base URL is the provider's own: leave it empty or use https://api.razorpay.com."
            ],
        }
        assert GatewayConfiguration.objects.count() == 0

    def test_a_new_base_url_asks_for_the_stored_secrets_again(self, admin_client, hospital):
        configuration = create(hospital)
        url = reverse("admin:gateways_gatewayconfiguration_change", args=[configuration.pk])

        public = {name: value for name, value in FORM_VALUES.items() if "secret" not in name}
        response = admin_client.post(url, self.data(hospital, base_url="https://api.razorpay.com", **public))

        reset = "must be entered again: a change of provider, mode or base URL clears the stored credentials."
        assert response.context["adminform"].form.errors == {
            "razorpay_key_secret": [f"Razorpay key secret {reset}"],
            "razorpay_webhook_secret": [f"Razorpay webhook secret {reset}"],
        }
        assert GatewayConfiguration.objects.get().base_url == f"{SANDBOX}/razorpay"

        typed = {**FORM_VALUES, "razorpay_key_secret": "typed_for_the_new_host_001"}
        response = admin_client.post(url, self.data(hospital, base_url="https://api.razorpay.com", **typed))

        assert response.status_code == 302
        stored = GatewayConfiguration.objects.get()
        assert stored.base_url == "https://api.razorpay.com"
        assert credentials_for(stored).value("key_secret") == "typed_for_the_new_host_001"


def test_the_audit_log_records_the_cleared_secrets_as_changed(hospital):
    configuration = create(hospital)

    gateway_configuration_update(
        configuration=configuration,
        changes={"base_url": "https://api.razorpay.com"},
        values={"key_id": "rzp_test_NewHost00001", "key_secret": "z" * 20},
    )

    entry = AuditEntry.objects.get(action="gateway_configuration.update")
    assert entry.changes == {
        "base_url": {"from": f"{SANDBOX}/razorpay", "to": "https://api.razorpay.com"},
        "key_id": {"from": "rzp_test_RuleKey00001", "to": "rzp_test_NewHost00001"},
        "key_secret": "changed",
        "webhook_secret": "changed",
    }
