"""Backups and fixtures hold credentials as ciphertext: `dumpdata` writes each secret as a
Fernet token, and `loaddata` of that dump restores the same credentials with the same keys."""

import io
import json

import pytest
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.base import DeserializationError

from skinspire.core.fields import field_fernet
from skinspire.gateways.credentials import credentials_for
from skinspire.gateways.models import SECRET_FIELD_NAMES, GatewayConfiguration
from skinspire.gateways.tests.distinct_secrets import (
    PAYTM_SECRETS,
    RAZORPAY_IDENTIFIERS,
    RAZORPAY_SECRETS,
    leaks,
    paytm_configuration,
    razorpay_configuration,
)

pytestmark = pytest.mark.django_db

EVERY_SECRET = [*RAZORPAY_SECRETS.values(), *PAYTM_SECRETS.values()]


def dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", "gateways.gatewayconfiguration", format="json", stdout=out)
    return out.getvalue()


def test_dumpdata_writes_ciphertext_and_loaddata_restores_the_credentials(hospital, tmp_path):
    razorpay = razorpay_configuration(hospital=hospital)
    paytm = paytm_configuration(hospital=hospital)
    originals = {configuration.pk: credentials_for(configuration) for configuration in (razorpay, paytm)}

    text = dump()

    assert leaks(text, EVERY_SECRET) == []
    records = {record["pk"]: record["fields"] for record in json.loads(text)}
    assert records[razorpay.pk]["key_id"] == RAZORPAY_IDENTIFIERS["key_id"]  # public: plain
    for pk, credentials in originals.items():
        for name in SECRET_FIELD_NAMES:
            stored = records[pk][name]
            assert stored.startswith("gAAAA")
            assert json.loads(field_fernet().decrypt(stored.encode()).decode()) == dict(credentials.secrets)

    backup = tmp_path / "gateways.json"
    backup.write_text(text)
    GatewayConfiguration.objects.all().delete()
    call_command("loaddata", str(backup), verbosity=0)

    for pk, credentials in originals.items():
        assert credentials_for(GatewayConfiguration.objects.get(pk=pk)) == credentials


def test_every_serializer_format_writes_ciphertext(hospital):
    razorpay_configuration(hospital=hospital)

    for format_name in ("json", "xml", "jsonl", "python"):
        text = str(serializers.serialize(format_name, GatewayConfiguration.objects.all()))
        assert leaks(text, EVERY_SECRET) == [], format_name


def test_a_dump_made_under_other_keys_does_not_load_as_credentials(hospital, tmp_path, settings):
    razorpay_configuration(hospital=hospital)
    backup = tmp_path / "gateways.json"
    backup.write_text(dump())
    GatewayConfiguration.objects.all().delete()
    settings.FIELD_ENCRYPTION_KEYS = ["a-different-field-encryption-key"]

    with pytest.raises(DeserializationError, match="secrets cannot be decrypted with FIELD_ENCRYPTION_KEYS"):
        call_command("loaddata", str(backup), verbosity=0)

    assert GatewayConfiguration.objects.count() == 0
