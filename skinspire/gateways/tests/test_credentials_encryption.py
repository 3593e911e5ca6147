"""Credentials are ciphertext at rest, decrypted only by credentials_for."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from skinspire.gateways.credentials import credentials_for
from skinspire.gateways.models import SECRET_FIELD_NAMES, GatewayConfiguration
from skinspire.gateways.selectors import gateway_configuration_list
from skinspire.gateways.tests.factories import GatewayConfigurationFactory

pytestmark = pytest.mark.django_db

RAZORPAY_SECRET = "rzp_secret_Plaintext_4f1c9a3a41"


def raw_row(pk: int, *columns: str) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM gateways_gatewayconfiguration WHERE id = %s",
            [pk],
        )
        return dict(zip(columns, cursor.fetchone(), strict=True))


def test_raw_sql_read_shows_only_ciphertext():
    configuration = GatewayConfigurationFactory(razorpay_key_secret=RAZORPAY_SECRET)

    row = raw_row(configuration.pk, "secrets")

    assert row["secrets"].startswith("gAAAA")
    assert RAZORPAY_SECRET not in row["secrets"]
    assert "Plaintext" not in row["secrets"]


def test_no_secrets_are_stored_empty_not_encrypted():
    configuration = GatewayConfigurationFactory(razorpay_key_secret="", razorpay_webhook_secret="")

    assert raw_row(configuration.pk, "secrets") == {"secrets": ""}
    assert credentials_for(configuration).secrets == {"key_secret": "", "webhook_secret": ""}


def test_credentials_for_decrypts_razorpay_values():
    configuration = GatewayConfigurationFactory(
        key_id="rzp_test_Key000001",
        razorpay_key_secret=RAZORPAY_SECRET,
        razorpay_webhook_secret="whsec_abcdef123456",
        account_number="7878780080316316",
        base_url="http://sandbox.testserver/sandbox/razorpay/",
    )

    credentials = credentials_for(GatewayConfiguration.objects.without_secrets().get(pk=configuration.pk))

    assert credentials.provider == "razorpay"
    assert credentials.mode == "test"
    assert credentials.base_url == "http://sandbox.testserver/sandbox/razorpay"
    assert credentials.key_id == "rzp_test_Key000001"
    assert credentials.value("key_secret") == RAZORPAY_SECRET
    assert credentials.value("webhook_secret") == "whsec_abcdef123456"
    assert credentials.account_number == "7878780080316316"
    assert credentials.value("merchant_key") == ""
    assert RAZORPAY_SECRET not in repr(credentials)


def test_credentials_for_decrypts_paytm_values():
    configuration = GatewayConfigurationFactory(
        paytm=True, key_id="MID00000000000000042", paytm_merchant_key="AbCdEfGh12345678"
    )

    credentials = credentials_for(configuration)

    assert credentials.provider == "paytm"
    assert (credentials.key_id, credentials.merchant_id) == ("MID00000000000000042", "MID00000000000000042")
    assert credentials.value("merchant_key") == "AbCdEfGh12345678"
    assert credentials.value("website") == "WEBSTAGING"
    assert credentials.public == {"mid": "MID00000000000000042", "website": "WEBSTAGING"}
    assert "AbCdEfGh12345678" not in repr(credentials)


def test_listing_without_secrets_selects_no_secret_column(staff_user):
    GatewayConfigurationFactory.create_batch(2, hospital=staff_user.hospital)
    GatewayConfigurationFactory(paytm=True, hospital=staff_user.hospital)

    with CaptureQueriesContext(connection) as queries:
        names = [configuration.name for configuration in gateway_configuration_list(user=staff_user)]

    assert len(names) == 3
    listing_sql = [
        query["sql"] for query in queries.captured_queries if "gateways_gatewayconfiguration" in query["sql"]
    ]
    assert len(listing_sql) == 1
    for column in SECRET_FIELD_NAMES:
        assert f'"{column}"' not in listing_sql[0]
    assert '"name"' in listing_sql[0]
