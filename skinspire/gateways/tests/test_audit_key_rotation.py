"""A key rotation is recorded in the audit log; a --verify run changes nothing and records nothing."""

import pytest
from django.core.management import call_command
from django.test import override_settings

from skinspire.core.audit.chain import chain_verify
from skinspire.core.models import AuditEntry
from skinspire.gateways.tests.factories import GatewayConfigurationFactory

pytestmark = pytest.mark.django_db

OLD_KEY = "audit-rotation-key-one"
NEW_KEY = "audit-rotation-key-two"


@pytest.fixture
def configurations():
    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD_KEY]):
        razorpay = GatewayConfigurationFactory()
        GatewayConfigurationFactory(paytm=True, hospital=razorpay.hospital)


def test_rotation_writes_one_global_entry_with_its_counts(configurations):
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY, OLD_KEY]):
        call_command("rotate_encryption_keys", verbosity=0)

    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.hospital, entry.chain, entry.changes) == (
        "encryption_keys.rotate",
        None,
        None,
        "global",
        {},
    )
    assert entry.message == (
        "2 values re-encrypted under the first of 2 configured keys (manage.py rotate_encryption_keys). "
        "gateways.GatewayConfiguration: 2 values, 0 failures; payouts.SupplierAccount: 0 values, 0 failures"
    )
    assert NEW_KEY not in entry.message and OLD_KEY not in entry.message
    assert chain_verify("global").broken is None


def test_verify_only_records_nothing(configurations):
    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD_KEY]):
        call_command("rotate_encryption_keys", "--verify", verbosity=0)

    assert AuditEntry.objects.count() == 0
