"""The transaction log in admin: read-only, pretty JSON, one hospital's rows only."""

import pytest
from django.urls import reverse

from skinspire.core.roles import ROLE_GATEWAY_ADMIN
from skinspire.core.tests.factories import HospitalFactory, UserFactory
from skinspire.gateways.models import GatewayTransactionLog

pytestmark = pytest.mark.django_db

CHANGELIST_URL = reverse("admin:gateways_gatewaytransactionlog_changelist")


def log_for(hospital, **fields) -> GatewayTransactionLog:
    return GatewayTransactionLog.objects.create(
        hospital=hospital,
        provider="razorpay",
        operation=fields.pop("operation", "payout.create"),
        outcome="success",
        http_status=200,
        request_body={"amount": 150000, "account_number": "XXXX6316"},
        response_body={"id": "pout_00000000000001", "status": "processing"},
        **fields,
    )


@pytest.fixture
def admin_client(client, hospital):
    client.force_login(UserFactory(hospital=hospital, roles=[ROLE_GATEWAY_ADMIN]))
    return client


def test_changelist_shows_only_own_hospital_logs(admin_client, hospital):
    log_for(hospital, operation="order.create")
    log_for(HospitalFactory(), operation="refund.create")
    log_for(None, operation="settlement.fetch")

    response = admin_client.get(CHANGELIST_URL)

    assert [log.operation for log in response.context["cl"].result_list] == ["order.create"]


def test_detail_shows_bodies_as_pretty_json_and_no_save(admin_client, hospital):
    log = log_for(hospital)

    response = admin_client.get(reverse("admin:gateways_gatewaytransactionlog_change", args=[log.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "<pre>{\n  &quot;account_number&quot;: &quot;XXXX6316&quot;,\n  &quot;amount&quot;: 150000\n}</pre>"
        in html
    )
    assert 'name="_save"' not in html


def test_logs_cannot_be_added_changed_or_deleted(admin_client, hospital):
    log = log_for(hospital)

    add = admin_client.get(reverse("admin:gateways_gatewaytransactionlog_add"))
    post = admin_client.post(
        reverse("admin:gateways_gatewaytransactionlog_change", args=[log.pk]), {"operation": "forged"}
    )
    delete = admin_client.post(
        reverse("admin:gateways_gatewaytransactionlog_delete", args=[log.pk]), {"post": "yes"}
    )

    assert (add.status_code, post.status_code, delete.status_code) == (403, 403, 403)
    log.refresh_from_db()
    assert log.operation == "payout.create"


def test_other_hospitals_log_is_not_found(admin_client):
    foreign = log_for(HospitalFactory())

    response = admin_client.get(reverse("admin:gateways_gatewaytransactionlog_change", args=[foreign.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_an_accountant_sees_the_configuration_named_not_linked(client, hospital):
    """Only Gateway admins may open a configuration: a link would be a 403 for the others."""
    from skinspire.core.roles import ROLE_ACCOUNTANT
    from skinspire.gateways.tests.factories import GatewayConfigurationFactory

    configuration = GatewayConfigurationFactory(hospital=hospital, name="Razorpay main")
    log = log_for(hospital, configuration=configuration)
    client.force_login(UserFactory(hospital=hospital, roles=[ROLE_ACCOUNTANT]))

    html = client.get(reverse("admin:gateways_gatewaytransactionlog_change", args=[log.pk])).content.decode()

    assert str(configuration) in html
    assert reverse("admin:gateways_gatewayconfiguration_change", args=[configuration.pk]) not in html
