"""A Gateway admin adds a Razorpay configuration through the real admin form in Chromium."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission

from skinspire.core.roles import ROLE_GATEWAY_ADMIN
from skinspire.core.tests.factories import HospitalFactory, UserFactory
from skinspire.gateways.credentials import credentials_for
from skinspire.gateways.models import GatewayConfiguration

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
KEY_SECRET = "browser_typed_rzp_secret_5e2c8d90"
PASSWORD = "correct-horse-battery"


GATEWAY_ADMIN_PERMISSIONS = [
    "add_gatewayconfiguration",
    "change_gatewayconfiguration",
    "view_gatewayconfiguration",
    "view_gatewaytransactionlog",
]


def gateway_admin_group() -> Group:
    """The role group as core's roles migration makes it. An earlier transactional test may
    have flushed the database (groups gone, permissions recreated), so make sure of it here."""
    group, _ = Group.objects.get_or_create(name=ROLE_GATEWAY_ADMIN)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="gateways", codename__in=GATEWAY_ADMIN_PERMISSIONS)
    )
    return group


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_gateway_admin_adds_razorpay_configuration_and_sees_it_masked(live_server, page):
    hospital = HospitalFactory(name="Browser Hospital")
    user = UserFactory(username="gwadmin", hospital=hospital)
    user.groups.add(gateway_admin_group())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "gwadmin")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/gateways/gatewayconfiguration/add/")
    page.select_option("#id_hospital", label="Browser Hospital")
    page.fill("#id_name", "Razorpay from the browser")
    page.select_option("#id_provider", "razorpay")
    page.check("input[name=capabilities][value=collections]")
    page.fill("#id_base_url", "http://sandbox.testserver/sandbox/razorpay")
    page.fill("#id_razorpay_key_id", "rzp_test_Browser00001")
    page.fill("#id_razorpay_account_id", "acc_Browser0000001")
    page.fill("#id_razorpay_key_secret", KEY_SECRET)
    page.click("input[name=_save]")
    page.wait_for_url(f"{live_server.url}/admin/gateways/gatewayconfiguration/")

    configuration = GatewayConfiguration.objects.get(name="Razorpay from the browser")
    assert credentials_for(configuration).value("key_secret") == KEY_SECRET
    page.goto(f"{live_server.url}/admin/gateways/gatewayconfiguration/{configuration.pk}/change/")
    page.screenshot(path=str(SCREENSHOTS / "admin-gateway-configuration-masked.png"), full_page=True)

    html = page.content()
    assert KEY_SECRET not in html
    assert "set: ••••8d90 — leave blank to keep" in html
    assert page.input_value("#id_razorpay_key_secret") == ""
    assert page.get_attribute("#id_razorpay_key_secret", "type") == "password"
