"""A short account number or UPI id is masked to at most half of it: the last 4 characters of
a 5-character account number, or the first 2 of a 2-character UPI name, were the whole of it
but one character, or all of it, in the API, admin, audit log and gateway log."""

import pytest
from rest_framework.test import APIClient

from skinspire.core.redaction import redact_text
from skinspire.payouts.tests.factories import bank_account, upi_account

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("account_number", "masked"),
    [("12345", "XXXX45"), ("123456", "XXXX456"), ("1234567", "XXXX567"), ("12345678", "XXXX5678")],
)
def test_a_short_account_number_shows_at_most_half(supplier, account_number, masked):
    assert bank_account(supplier, account_number=account_number).masked == f"{masked} (HDFC0000123)"


@pytest.mark.parametrize(
    ("vpa", "masked"),
    [
        ("a@okaxis", "***@okaxis"),
        ("ab@okaxis", "a***@okaxis"),
        ("abc@okaxis", "a***@okaxis"),
        ("abcd@okaxis", "ab***@okaxis"),
    ],
)
def test_a_short_upi_name_shows_at_most_half(supplier, vpa, masked):
    assert upi_account(supplier, vpa=vpa).masked == masked


def test_the_api_shows_the_short_mask(supplier, maker):
    account = upi_account(supplier, vpa="ab@okaxis")
    client = APIClient()
    client.force_authenticate(maker)

    response = client.get(f"/api/supplier/{supplier.pk}/bank-accounts")

    assert [(item["id"], item["account"]) for item in response.json()] == [(account.pk, "a***@okaxis")]
    assert "ab@okaxis" not in response.content.decode()


def test_log_text_masks_a_short_upi_id_the_same_way():
    assert redact_text("Payout to ab@okaxis and to medisupply@okhdfc failed") == (
        "Payout to a***@okaxis and to me***@okhdfc failed"
    )
