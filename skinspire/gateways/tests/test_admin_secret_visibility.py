"""No admin page shows a stored credential, to anyone: every role, every page of every
model that holds or derives from one (configurations, their call log, their history).

At most the 4-character mask hint ("set: ••••4T…") may appear: the test looks for every
run of 5 characters of every secret. Before the fix, the read-only change page of a user
who may only view configurations (Payments staff) showed all nine credentials in clear.
"""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from skinspire.core.roles import (
    ROLE_ACCOUNTANT,
    ROLE_GATEWAY_ADMIN,
    ROLE_PAYMENT_APPROVER,
    ROLE_PAYMENTS_STAFF,
)
from skinspire.core.tests.factories import UserFactory
from skinspire.gateways.models import GatewayTransactionLog
from skinspire.gateways.providers.registry import provider_for
from skinspire.gateways.tests.distinct_secrets import (
    PAYTM_SECRETS,
    RAZORPAY_IDENTIFIERS,
    RAZORPAY_SECRETS,
    bank_payout,
    leaks,
    paytm_configuration,
    razorpay_configuration,
)

pytestmark = pytest.mark.django_db

RETYPED_SECRET = "HZ4QXW9JK2VB7MTY"  # typed by the gateway admin, so it is in the history
EVERY_SECRET = [*RAZORPAY_SECRETS.values(), *PAYTM_SECRETS.values(), RETYPED_SECRET]
ROLES = [
    "superuser",
    ROLE_GATEWAY_ADMIN,
    ROLE_PAYMENTS_STAFF,
    ROLE_PAYMENT_APPROVER,
    ROLE_ACCOUNTANT,
    "view only",
]


def make_user(role, hospital, branch):
    if role == "superuser":
        return UserFactory(hospital=None, is_superuser=True)
    user = UserFactory(hospital=hospital, branches=[branch], roles=[role])
    if role == "view only":  # a user given nothing but the two view permissions
        user.user_permissions.add(
            *Permission.objects.filter(
                codename__in=["view_gatewayconfiguration", "view_gatewaytransactionlog"]
            )
        )
    return user


@pytest.fixture
def configurations(hospital, branch, client):
    """Both configurations, a call logged for the Paytm one, and a secret replaced in admin."""
    razorpay = razorpay_configuration(hospital=hospital)
    paytm = paytm_configuration(hospital=hospital)
    provider_for(paytm).create_payout(bank_payout("SKNVIS0001"))
    editor = UserFactory(hospital=hospital, branches=[branch], roles=[ROLE_GATEWAY_ADMIN])
    client.force_login(editor)
    change = reverse("admin:gateways_gatewayconfiguration_change", args=[razorpay.pk])
    form = client.get(change).context["adminform"].form
    data = {
        name: value for name, value in form.initial.items() if value is not None and name != "capabilities"
    }
    data.update(
        capabilities=razorpay.capabilities, razorpay_key_secret=RETYPED_SECRET, is_active="on", _save="Save"
    )
    data.update(branch="", base_url=razorpay.base_url, payout_base_url="")
    response = client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    client.logout()
    return razorpay, paytm


def pages(razorpay, paytm) -> list[str]:
    config, log = "admin:gateways_gatewayconfiguration", "admin:gateways_gatewaytransactionlog"
    urls = [reverse("admin:index"), reverse(f"{config}_changelist"), reverse(f"{config}_add")]
    for configuration in (razorpay, paytm):
        for page in ("change", "history", "delete"):
            urls.append(reverse(f"{config}_{page}", args=[configuration.pk]))
    urls.append(reverse(f"{log}_changelist"))
    for row in GatewayTransactionLog.objects.all():
        urls += [reverse(f"{log}_change", args=[row.pk]), reverse(f"{log}_history", args=[row.pk])]
    return urls


@pytest.mark.parametrize("role", ROLES)
def test_no_admin_page_shows_a_secret(client, hospital, branch, configurations, role):
    client.force_login(make_user(role, hospital, branch))

    shown = {}
    for url in pages(*configurations):
        response = client.get(url)
        assert response.status_code in (200, 302, 403), url
        shown[url] = leaks(response.content.decode(), EVERY_SECRET)

    assert {url: found for url, found in shown.items() if found} == {}


def test_the_payout_was_logged_so_the_log_pages_are_searched(configurations):
    assert list(GatewayTransactionLog.objects.values_list("operation", "http_status")) == [
        ("create_payout", 200)
    ]


def test_payments_staff_see_which_gateway_is_set_up_not_its_credentials(
    client, hospital, branch, configurations
):
    razorpay, _ = configurations
    client.force_login(make_user(ROLE_PAYMENTS_STAFF, hospital, branch))

    response = client.get(reverse("admin:gateways_gatewayconfiguration_change", args=[razorpay.pk]))

    assert response.status_code == 200
    fields = [
        line.field["name"] for fieldset in response.context["adminform"] for line in fieldset for line in line
    ]
    assert fields == [
        "hospital",
        "branch",
        "name",
        "provider",
        "mode",
        "is_active",
        "is_default",
        "priority",
        "capabilities",
        "created_at",
        "updated_at",
    ]


def test_gateway_admin_sees_the_mask_hint_and_no_more(client, hospital, branch, configurations):
    razorpay, _ = configurations
    client.force_login(make_user(ROLE_GATEWAY_ADMIN, hospital, branch))

    html = client.get(
        reverse("admin:gateways_gatewayconfiguration_change", args=[razorpay.pk])
    ).content.decode()

    assert "set: ••••7MTY — leave blank to keep" in html  # the retyped key secret's last 4
    assert "set: ••••7YBT — leave blank to keep" in html  # the webhook secret
    # The key id is public, not a credential: shown as it is, in a plain field.
    assert f'name="razorpay_key_id" value="{RAZORPAY_IDENTIFIERS["key_id"]}"' in html


@pytest.mark.parametrize("role", [ROLE_PAYMENT_APPROVER, ROLE_ACCOUNTANT])
def test_roles_without_gateway_duties_cannot_open_configurations(
    client, hospital, branch, configurations, role
):
    razorpay, _ = configurations
    client.force_login(make_user(role, hospital, branch))

    response = client.get(reverse("admin:gateways_gatewayconfiguration_change", args=[razorpay.pk]))

    assert response.status_code == 403


def test_secret_columns_cannot_be_probed_through_changelist_filters(client, hospital, branch, configurations):
    client.force_login(make_user(ROLE_PAYMENTS_STAFF, hospital, branch))

    changelist = reverse("admin:gateways_gatewayconfiguration_changelist")

    for probe in ("?secrets=", "?secrets__startswith=gAAAA", "?secrets__contains=key"):
        assert client.get(changelist + probe).status_code == 400, probe
