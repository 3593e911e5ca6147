"""Matching settings in admin: accountants keep them for their own configurations; other
roles 403; a negative tolerance is refused."""

import pytest
from django.urls import reverse

from skinspire.core.roles import ALL_ROLES, ROLE_ACCOUNTANT
from skinspire.core.tests.factories import HospitalFactory
from skinspire.reconciliation.models import MatchingSettings
from skinspire.reconciliation.tests import sandbox_support
from skinspire.reconciliation.tests.admin_support import user_with

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:reconciliation_matchingsettings_changelist")
ADD = reverse("admin:reconciliation_matchingsettings_add")
FORM = {
    "date_window_days": "1",
    "settlement_cycle_days": "1",
    "amount_tolerance": "0.50",
    "fee_tolerance": "0.00",
}


@pytest.mark.parametrize("role", [None, *ALL_ROLES], ids=["superuser", *ALL_ROLES])
def test_each_page_for_each_role(client, hospital, configuration, role):
    settings = MatchingSettings.objects.create(configuration=configuration)
    client.force_login(user_with(role, hospital))

    statuses = [
        client.get(CHANGELIST).status_code,
        client.get(ADD).status_code,
        client.get(reverse("admin:reconciliation_matchingsettings_change", args=[settings.pk])).status_code,
    ]

    assert statuses == [200 if role in (None, ROLE_ACCOUNTANT) else 403] * 3


def test_an_accountant_sets_them_for_an_own_configuration_only(client, hospital, configuration):
    foreign = sandbox_support.razorpay_configuration(HospitalFactory())
    client.force_login(user_with(ROLE_ACCOUNTANT, hospital))

    offered = list(client.get(ADD).context["adminform"].form.fields["configuration"].queryset)
    refused = client.post(ADD, {**FORM, "configuration": foreign.pk})
    saved = client.post(ADD, {**FORM, "configuration": configuration.pk})

    assert offered == [configuration]
    assert (refused.status_code, saved.status_code) == (200, 302)
    stored = MatchingSettings.objects.get()
    assert (stored.configuration, stored.settlement_cycle_days, str(stored.amount_tolerance)) == (
        configuration,
        1,
        "0.50",
    )


def test_a_negative_tolerance_is_refused(client, hospital, configuration):
    client.force_login(user_with(ROLE_ACCOUNTANT, hospital))

    response = client.post(ADD, {**FORM, "configuration": configuration.pk, "amount_tolerance": "-1.00"})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "amount_tolerance": ["An amount cannot be negative here."]
    }
    assert MatchingSettings.objects.count() == 0
