"""verify_payment_link_callback: the link payment form (CHECKSUMHASH) Paytm posts to the
link's statusCallbackUrl (reference §2.5, §2.6)."""

from urllib.parse import urlencode

import pytest

from skinspire.gateways.providers.paytm import signing
from skinspire.gateways.tests.test_paytm_support import KEY, fixture, make_provider


def signed_form(*, key: str = KEY, **changes) -> dict[str, str]:
    fields = {name: value for name, value in fixture("link_payment_status_webhook_form").items()}
    fields.pop("CHECKSUMHASH")
    fields.update(changes)
    return {**fields, "CHECKSUMHASH": signing.sign_fields(fields, merchant_key=key)}


def test_a_form_signed_with_our_merchant_key_verifies(hospital):
    provider = make_provider(hospital=hospital)
    form = signed_form()

    assert provider.verify_payment_link_callback(form) is True
    # The same form is the link payment webhook: one check for both, so they agree.
    body = urlencode(form).encode()
    assert provider.verify_webhook(body=body, headers={"Content-Type": "application/x-www-form-urlencoded"})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TXNAMOUNT", "100.00"),
        ("STATUS", "TXN_FAILURE"),
        ("ORDERID", "ORDERID_98766"),
        ("CHECKSUMHASH", "abc"),
    ],
)
def test_a_tampered_form_fails(hospital, name, value):
    provider = make_provider(hospital=hospital)
    assert provider.verify_payment_link_callback({**signed_form(), name: value}) is False


@pytest.mark.parametrize("missing", ["CHECKSUMHASH", "ORDERID", "STATUS"])
def test_a_missing_field_fails_even_when_what_is_left_is_signed(hospital, missing):
    provider = make_provider(hospital=hospital)
    fields = {name: value for name, value in fixture("link_payment_status_webhook_form").items()}
    fields.pop("CHECKSUMHASH")
    fields.pop(missing, None)
    if missing != "CHECKSUMHASH":
        fields["CHECKSUMHASH"] = signing.sign_fields(fields, merchant_key=KEY)

    assert provider.verify_payment_link_callback(fields) is False


def test_paytms_sample_and_another_merchants_form_fail(hospital):
    provider = make_provider(hospital=hospital)
    assert provider.verify_payment_link_callback(fixture("link_payment_status_webhook_form")) is False
    assert provider.verify_payment_link_callback(signed_form(key="OtherKey16chars!")) is False
    assert provider.verify_payment_link_callback({}) is False
