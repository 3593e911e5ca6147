"""Every gateway configuration change is in the audit log: who, which fields (old and new
values), from which IP; a secret only as "changed", never its value."""

import pytest

from skinspire.core.errors import ConflictError
from skinspire.core.models import AuditEntry
from skinspire.core.tests.audit_helpers import audit_rows_text
from skinspire.core.tests.factories import BranchFactory
from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.services import gateway_configuration_update
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.gateways.tests.test_configuration_admin import (
    ADD_URL,
    PAYTM_SECRETS,
    RAZORPAY,
    RAZORPAY_IDENTIFIERS,
    RAZORPAY_SECRETS,
    admin_client,  # noqa: F401 - fixture
    change_url,
    form_data,
    gateway_admin,  # noqa: F401 - fixture
)

pytestmark = pytest.mark.django_db

CLIENT_IP = "203.0.113.20"


def configuration_entries():
    """Logging in (force_login) writes an entry of its own."""
    return AuditEntry.objects.filter(action__startswith="gateway_configuration.")


def assert_no_secret_in_the_log(*secrets: str) -> None:
    text = audit_rows_text()
    for secret in secrets:
        assert secret not in text


def test_adding_a_configuration_records_every_field_and_names_the_typed_secrets(
    admin_client,  # noqa: F811
    gateway_admin,  # noqa: F811
    hospital,
):
    response = admin_client.post(ADD_URL, form_data(hospital, **RAZORPAY), REMOTE_ADDR=CLIENT_IP)

    assert response.status_code == 302
    configuration = GatewayConfiguration.objects.get()
    entry = configuration_entries().get()
    assert (entry.action, entry.actor, entry.hospital, entry.ip_address) == (
        "gateway_configuration.create",
        gateway_admin,
        hospital,
        CLIENT_IP,
    )
    assert (entry.content_type.model, entry.object_id) == ("gatewayconfiguration", str(configuration.pk))
    assert entry.changes == {
        "hospital": {"from": None, "to": hospital.pk},
        "branch": {"from": None, "to": None},
        "name": {"from": None, "to": "Razorpay main"},
        "provider": {"from": None, "to": "razorpay"},
        "mode": {"from": None, "to": "test"},
        "is_active": {"from": None, "to": True},
        "is_default": {"from": None, "to": False},
        "priority": {"from": None, "to": 10},
        "base_url": {"from": None, "to": "http://sandbox.testserver/sandbox/razorpay"},
        "payout_base_url": {"from": None, "to": ""},
        "capabilities": {"from": None, "to": ["payouts", "collections"]},
        "webhook_allowed_ips": {"from": None, "to": []},
        # Public identifiers are recorded like any plain field.
        "key_id": {"from": None, "to": RAZORPAY_IDENTIFIERS["razorpay_key_id"]},
        "account_id": {"from": None, "to": RAZORPAY_IDENTIFIERS["razorpay_account_id"]},
        "account_number": {"from": None, "to": RAZORPAY_IDENTIFIERS["razorpay_account_number"]},
        "key_secret": "changed",
        "webhook_secret": "changed",
    }
    assert_no_secret_in_the_log(*RAZORPAY_SECRETS.values())


def test_changing_a_configuration_records_old_and_new_values_and_the_replaced_secret(
    admin_client,  # noqa: F811
    gateway_admin,  # noqa: F811
    hospital,
):
    configuration = GatewayConfigurationFactory(
        hospital=hospital,
        name="Razorpay main",
        priority=10,
        capabilities=["payouts", "collections"],
        **RAZORPAY,
    )
    data = form_data(
        hospital,
        name="Razorpay renamed",
        priority="5",
        razorpay_key_secret="replacement_secret_7f3a9c",
        **RAZORPAY_IDENTIFIERS,
    )

    response = admin_client.post(change_url(configuration), data, REMOTE_ADDR=CLIENT_IP)

    assert response.status_code == 302
    entry = configuration_entries().get()
    assert (entry.action, entry.actor, entry.hospital, entry.ip_address, entry.object_id) == (
        "gateway_configuration.update",
        gateway_admin,
        hospital,
        CLIENT_IP,
        str(configuration.pk),
    )
    assert entry.changes == {
        "name": {"from": "Razorpay main", "to": "Razorpay renamed"},
        "priority": {"from": 10, "to": 5},
        "key_secret": "changed",
    }
    assert_no_secret_in_the_log("replacement_secret_7f3a9c", *RAZORPAY_SECRETS.values())


def test_a_rejected_form_writes_no_entry(admin_client, hospital):  # noqa: F811
    response = admin_client.post(ADD_URL, form_data(hospital, razorpay_key_secret="typed_but_rejected_01"))

    assert response.status_code == 200
    assert configuration_entries().count() == 0


def test_a_service_update_records_related_ids_lists_and_paytm_secrets(hospital, staff_user):
    branch = BranchFactory(hospital=hospital)
    configuration = GatewayConfigurationFactory(paytm=True, hospital=hospital, capabilities=["collections"])

    gateway_configuration_update(
        configuration=configuration,
        changes={
            "branch": branch,
            "capabilities": ["collections", "payouts"],
            "priority": configuration.priority,
        },
        values={"merchant_key": PAYTM_SECRETS["paytm_merchant_key"], "client_id": ""},
    )

    entry = configuration_entries().get()
    assert entry.actor is None  # no request, no actor given
    assert entry.changes == {
        "branch": {"from": None, "to": branch.pk},
        "capabilities": {"from": ["collections"], "to": ["collections", "payouts"]},
        "merchant_key": "changed",
    }
    assert_no_secret_in_the_log(PAYTM_SECRETS["paytm_merchant_key"])


def test_an_update_that_changes_nothing_writes_no_entry(hospital):
    configuration = GatewayConfigurationFactory(hospital=hospital)

    gateway_configuration_update(
        configuration=configuration, changes={"priority": configuration.priority}, values={}
    )

    assert configuration_entries().count() == 0


def test_an_update_refused_as_a_conflict_writes_no_entry(hospital):
    GatewayConfigurationFactory(hospital=hospital, is_default=True)
    configuration = GatewayConfigurationFactory(hospital=hospital)

    with pytest.raises(ConflictError):
        gateway_configuration_update(configuration=configuration, changes={"is_default": True}, values={})

    assert configuration_entries().count() == 0
