"""verify_payment_link_callback: the signed GET query Razorpay adds to a paid link's
callback_url (reference §4.2)."""

import hashlib
import hmac

import pytest

from skinspire.gateways.tests.test_razorpay_support import make_provider

pytestmark = pytest.mark.django_db

# reference §4.2 test vector (from the SDK's own tests).
SECRET = "EnLs21M47BllR3X8PSFtjtbd"
SIGNATURE = "07ae18789e35093e51d0a491eb9922646f3f82773547e5b0f67ee3f2d3bf7d5b"
CALLBACK = {
    "razorpay_payment_id": "pay_IH3d0ara9bSsjQ",
    "razorpay_payment_link_id": "plink_IH3cNucfVEgV68",
    "razorpay_payment_link_reference_id": "TSsd1989",
    "razorpay_payment_link_status": "paid",
    "razorpay_signature": SIGNATURE,
}


@pytest.fixture
def provider(hospital):
    return make_provider(hospital=hospital, razorpay_key_secret=SECRET)


def test_the_reference_vector_verifies(provider):
    assert provider.verify_payment_link_callback(dict(CALLBACK)) is True


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("razorpay_payment_link_status", "partially_paid"),
        ("razorpay_payment_id", "pay_IH3d0ara9bSsjR"),
        ("razorpay_payment_link_id", "plink_IH3cNucfVEgV69"),
        ("razorpay_payment_link_reference_id", "TSsd1990"),
        ("razorpay_signature", "0" * 64),
        ("razorpay_signature", SIGNATURE.upper()),
        ("razorpay_signature", "é" * 64),  # non-ASCII must be False, not a TypeError
    ],
)
def test_any_tampered_part_fails(provider, name, value):
    assert provider.verify_payment_link_callback({**CALLBACK, name: value}) is False


@pytest.mark.parametrize("missing", sorted(CALLBACK))
def test_a_missing_field_fails(provider, missing):
    params = {name: value for name, value in CALLBACK.items() if name != missing}
    assert provider.verify_payment_link_callback(params) is False


@pytest.mark.parametrize("emptied", ["razorpay_payment_id", "razorpay_payment_link_id", "razorpay_signature"])
def test_an_empty_id_or_signature_fails(provider, emptied):
    assert provider.verify_payment_link_callback({**CALLBACK, emptied: ""}) is False


def test_another_accounts_secret_fails(hospital):
    other = make_provider(hospital=hospital, razorpay_key_secret="another_secret_of_24chrs")
    assert other.verify_payment_link_callback(dict(CALLBACK)) is False


def test_the_sdk_and_the_adapter_agree(provider):
    """One cross-check with razorpay.Utility, whose dict uses other key names (§4.2)."""
    sdk_params = {
        "payment_link_id": CALLBACK["razorpay_payment_link_id"],
        "payment_link_reference_id": CALLBACK["razorpay_payment_link_reference_id"],
        "payment_link_status": CALLBACK["razorpay_payment_link_status"],
        "razorpay_payment_id": CALLBACK["razorpay_payment_id"],
        "razorpay_signature": SIGNATURE,
    }
    assert provider.client.utility.verify_payment_link_signature(sdk_params) is True


def test_a_link_made_without_a_reference_id_signs_an_empty_one(provider):
    # Razorpay sends razorpay_payment_link_reference_id="" then (reference §4.2).
    message = b"plink_IH3cNucfVEgV68||paid|pay_IH3d0ara9bSsjQ"
    signature = hmac.new(SECRET.encode(), message, hashlib.sha256).hexdigest()
    params = {**CALLBACK, "razorpay_payment_link_reference_id": "", "razorpay_signature": signature}

    assert provider.verify_payment_link_callback(params) is True
    assert (
        provider.verify_payment_link_callback({**params, "razorpay_payment_link_reference_id": "x"}) is False
    )
