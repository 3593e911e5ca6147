"""Workspace pages follow the API's rule for key holders: no page before the second factor."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/workspace/payouts/", "/workspace/patient-payments/", "/workspace/bills/"])
def test_a_superuser_without_their_second_factor_is_sent_to_admin_for_it(client, desk, settings, url):
    settings.REQUIRE_TOTP_FOR_KEY_HOLDERS = True
    client.force_login(desk.people["superuser"])
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (302, "/admin/")


def test_staff_who_hold_no_keys_need_no_second_factor(client, desk, settings):
    settings.REQUIRE_TOTP_FOR_KEY_HOLDERS = True
    client.force_login(desk.people["payments"])
    assert client.get("/workspace/payouts/").status_code == 200
