import json
from decimal import Decimal

import pytest
from paytmchecksum import PaytmChecksum

from skinspire.gateways.providers.paytm import signing
from skinspire.gateways.tests.test_paytm_support import KEY, fixture, signed_envelope

VECTORS = fixture("checksum_test_vectors")["vectors"]


@pytest.mark.parametrize("vector", VECTORS, ids=lambda vector: f"{vector['kind']}-{vector['salt']}")
def test_official_library_reproduces_the_recorded_checksum_vectors(vector):
    # generateSignature draws a random salt and takes none, so the fixed-salt vectors are
    # regenerated through the library's own calculateChecksum.
    text = vector["input"] if vector["kind"] == "string" else PaytmChecksum.getStringByParams(vector["input"])
    if vector["kind"] == "dict":
        assert text == vector["pipe_string"]
    assert PaytmChecksum.calculateHash(text, vector["salt"]) == vector["plaintext_hash_plus_salt"]
    assert PaytmChecksum.calculateChecksum(text, vector["key"], vector["salt"]) == vector["checksum"]


@pytest.mark.parametrize("vector", VECTORS, ids=lambda vector: f"{vector['kind']}-{vector['salt']}")
def test_our_verification_accepts_each_vector_and_rejects_it_under_another_key(vector):
    if vector["kind"] == "string":
        check = signing.verify_text
        subject = vector["input"]
    else:
        check = signing.verify_fields
        subject = dict(vector["input"])
    assert check(subject, merchant_key=vector["key"], checksum=vector["checksum"]) is True
    assert check(subject, merchant_key="OtherKey16chars!", checksum=vector["checksum"]) is False
    if vector["kind"] == "dict":
        assert subject == vector["input"]  # the library's mutation never reaches the caller


def test_signatures_we_make_are_108_characters_and_verify_with_the_library():
    checksum = signing.sign_text('{"mid":"M"}', merchant_key=KEY)
    assert len(checksum) == 108
    assert PaytmChecksum.verifySignature('{"mid":"M"}', KEY, checksum) is True


@pytest.mark.parametrize(
    "checksum",
    [
        "",
        "not base64!!",
        "QUJD",
        "A" * 108,
        "zHZAHz1XaWB2vLqjzby+CXyIUJVqSoC3PClXjE5YaTvmfRkLH4pAvmSKjVaVdc91",
    ],
)
def test_garbage_checksums_are_simply_not_verified(checksum):
    assert signing.verify_text('{"mid":"M"}', merchant_key=KEY, checksum=checksum) is False
    assert signing.verify_fields({"MID": "M"}, merchant_key=KEY, checksum=checksum) is False


def test_a_body_that_mentions_checksumhash_still_verifies():
    text = '{"note":"CHECKSUMHASH"}'
    assert signing.verify_text(text, merchant_key=KEY, checksum=signing.sign_text(text, merchant_key=KEY))


def test_non_string_form_values_are_not_verified_instead_of_crashing():
    assert signing.verify_fields({"AMOUNT": 5}, merchant_key=KEY, checksum="A" * 108) is False


def test_decimals_are_written_as_exact_json_numbers():
    text = signing.compact_json({"amount": Decimal("1500.10"), "nested": [Decimal("0.30")], "name": "x y"})
    assert text == '{"amount":1500.10,"nested":[0.30],"name":"x y"}'


def test_raw_body_text_is_the_exact_substring_not_a_reserialisation():
    raw = signed_envelope({"b": 1, "a": {"body": "x"}})
    document = json.loads(raw, parse_float=Decimal)
    assert signing.raw_body_text(raw, document["body"]) == json.dumps({"b": 1, "a": {"body": "x"}}, indent=2)
    assert signing.verify_enveloped(raw, document, merchant_key=KEY) is True


def test_an_envelope_with_a_tampered_body_or_no_signature_fails():
    raw = signed_envelope({"txnAmount": "1.00"}).replace('"1.00"', '"9.00"')
    document = json.loads(raw)
    assert signing.verify_enveloped(raw, document, merchant_key=KEY) is False
    unsigned = {"head": {}, "body": {"txnAmount": "1.00"}}
    assert signing.verify_enveloped(json.dumps(unsigned), unsigned, merchant_key=KEY) is False
