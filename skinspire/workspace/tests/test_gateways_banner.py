"""The banner every page shows while gateway payments are switched off for the hospital."""

import pytest

from skinspire.gateways.models import Mode
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.workspace.tests.support import accounts_desk

pytestmark = pytest.mark.django_db

BANNER = 'id="gateways-off"'


def test_no_configuration_shows_the_banner_and_who_can_fix_it(client):
    desk = accounts_desk()
    client.force_login(desk.people["payments"])
    html = client.get("/").content.decode()
    assert BANNER in html
    assert "no active gateway configuration in test mode" in html
    assert "Ask a gateway admin to enable one." in html

    client.force_login(desk.people["gatewayadmin"])
    html = client.get("/").content.decode()
    assert '<a href="/admin/gateways/gatewayconfiguration/">Enable a gateway configuration</a>' in html


def test_an_active_configuration_removes_it_and_deactivating_live_brings_it_back(client):
    desk = accounts_desk()
    live = GatewayConfigurationFactory(hospital=desk.hospital, mode=Mode.LIVE)
    GatewayConfigurationFactory(hospital=desk.hospital, mode=Mode.TEST)
    client.force_login(desk.people["accountant"])
    assert BANNER not in client.get("/").content.decode()

    live.is_active = False
    live.save(update_fields=["is_active"])
    html = client.get("/").content.decode()
    assert BANNER in html
    assert "Asha Hospital · all branches" in html
    assert "no active gateway configuration in live mode" in html


def test_the_banner_follows_the_chosen_branch(client):
    desk = accounts_desk()
    GatewayConfigurationFactory(hospital=desk.hospital, branch=desk.city)
    client.force_login(desk.people["approver"])
    assert BANNER in client.get("/").content.decode()  # hospital-wide: nothing
    client.post("/workspace/scope/", {"scope": f"{desk.hospital.pk}:{desk.city.pk}"})
    assert BANNER not in client.get("/").content.decode()
    client.post("/workspace/scope/", {"scope": f"{desk.hospital.pk}:{desk.main.pk}"})
    assert BANNER in client.get("/").content.decode()


def test_another_hospitals_configuration_does_not_switch_this_one_on(client):
    desk = accounts_desk()
    GatewayConfigurationFactory(hospital=accounts_desk("Bharat Hospital").hospital)
    client.force_login(desk.people["payments"])
    assert BANNER in client.get("/").content.decode()
