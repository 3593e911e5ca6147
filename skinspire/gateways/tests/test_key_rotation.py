"""rotate_encryption_keys re-encrypts every secret under the first key."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from skinspire.core.fields import DecryptionError
from skinspire.gateways.models import SECRET_FIELD_NAMES, GatewayConfiguration
from skinspire.gateways.tests.factories import GatewayConfigurationFactory

pytestmark = pytest.mark.django_db

OLD_KEY = "rotation-test-key-one"
NEW_KEY = "rotation-test-key-two"


def raw_secrets() -> dict[int, tuple[str, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, {', '.join(SECRET_FIELD_NAMES)} FROM gateways_gatewayconfiguration ORDER BY id"
        )
        return {row[0]: row[1:] for row in cursor.fetchall()}


def decrypted(pk: int) -> dict[str, str]:
    return GatewayConfiguration.objects.filter(pk=pk).values(*SECRET_FIELD_NAMES).get()


@pytest.fixture
def configurations():
    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD_KEY]):
        razorpay = GatewayConfigurationFactory(razorpay_key_secret="rotation_rzp_secret_0001")
        paytm = GatewayConfigurationFactory(
            paytm=True, hospital=razorpay.hospital, paytm_merchant_key="RotationKey00001"
        )
        return {configuration.pk: decrypted(configuration.pk) for configuration in (razorpay, paytm)}


def test_rotation_moves_every_value_to_the_new_key(configurations, capsys):
    before = raw_secrets()

    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY, OLD_KEY]):
        call_command("rotate_encryption_keys")
        call_command("rotate_encryption_keys", "--verify")

    output = capsys.readouterr().out
    assert "gateways.GatewayConfiguration: 2 values, 0 failures" in output
    assert "2 values re-encrypted under the first key." in output
    assert "2 values verified under the first key." in output
    after = raw_secrets()
    for pk, old_tokens in before.items():
        for old, new in zip(old_tokens, after[pk], strict=True):
            assert (old == "") == (new == "")
            if old:
                assert new.startswith("gAAAA")
                assert new != old
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY]):
        assert {pk: decrypted(pk) for pk in configurations} == configurations
    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD_KEY]), pytest.raises(DecryptionError):
        decrypted(next(iter(configurations)))


def test_verify_fails_while_values_are_under_the_old_key(configurations, capsys):
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY, OLD_KEY]), pytest.raises(CommandError) as error:
        call_command("rotate_encryption_keys", "--verify")

    assert "2 values cannot be decrypted with the first key" in str(error.value)
    assert "gateways.GatewayConfiguration: 2 values, 2 failures" in capsys.readouterr().out


def test_rotation_without_the_old_key_changes_nothing(configurations):
    before = raw_secrets()

    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY]), pytest.raises(CommandError) as error:
        call_command("rotate_encryption_keys", "--batch-size", "1")

    assert "cannot be decrypted with any FIELD_ENCRYPTION_KEYS key" in str(error.value)
    assert raw_secrets() == before
