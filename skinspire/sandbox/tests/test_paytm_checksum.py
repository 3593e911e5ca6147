"""The sandbox's Paytm checksum handling, against Paytm's own library and test vectors."""

import json
from pathlib import Path

import pytest
from paytmchecksum import PaytmChecksum

from skinspire.sandbox.paytm import checksum

FIXTURES = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "paytm"
VECTORS = json.loads((FIXTURES / "checksum_test_vectors.json").read_text())["vectors"]


@pytest.mark.parametrize("vector", VECTORS, ids=lambda vector: f"{vector['kind']}-{vector['salt']}")
def test_library_reproduces_the_recorded_vectors_and_the_sandbox_accepts_them(vector):
    assert (
        PaytmChecksum.calculateChecksum(
            vector["input"]
            if vector["kind"] == "string"
            else PaytmChecksum.getStringByParams(vector["input"]),
            vector["key"],
            vector["salt"],
        )
        == vector["checksum"]
    )
    assert checksum.is_valid(vector["input"], vector["key"], vector["checksum"]) is True


def test_signatures_made_by_the_sandbox_verify_with_the_official_library():
    signature = checksum.sign('{"mid":"M","orderId":"O"}', "TESTKEY_1234abcd")
    assert len(signature) == 108
    assert PaytmChecksum.verifySignature('{"mid":"M","orderId":"O"}', "TESTKEY_1234abcd", signature) is True


@pytest.mark.parametrize(
    "bad_checksum",
    [None, "", "not base64 at all!", "QUJD", VECTORS[0]["checksum"][:-4] + "AAA="],
)
def test_malformed_checksums_are_invalid_not_errors(bad_checksum):
    assert checksum.is_valid('{"a":"b"}', "TESTKEY_1234abcd", bad_checksum) is False


def test_wrong_key_or_wrong_key_length_is_invalid():
    vector = VECTORS[0]
    assert checksum.is_valid(vector["input"], "OTHERKEY_1234abc", vector["checksum"]) is False
    assert checksum.is_valid(vector["input"], "short", vector["checksum"]) is False


def test_dict_verification_leaves_the_callers_dict_alone():
    fields = {"MID": "M", "ORDERID": "O"}
    fields["CHECKSUMHASH"] = checksum.sign(dict(fields), "TESTKEY_1234abcd")
    posted = dict(fields)
    assert checksum.is_valid(posted, "TESTKEY_1234abcd", posted["CHECKSUMHASH"]) is True
    assert posted == fields


def test_a_string_containing_checksumhash_is_invalid_instead_of_raising():
    assert checksum.is_valid('{"CHECKSUMHASH":"x"}', "TESTKEY_1234abcd", VECTORS[0]["checksum"]) is False


def test_raw_body_text_is_the_exact_substring_received():
    raw = (
        '{ "head" : {"signature":"s"} ,\n "body" :  {"mid": "M",  "nested": {"body": {"x": 1}}, "s": "}{"} }'
    )
    assert checksum.raw_body_text(raw) == '{"mid": "M",  "nested": {"body": {"x": 1}}, "s": "}{"}'


def test_raw_body_text_keeps_escapes_as_sent_and_rejects_non_envelopes():
    assert checksum.raw_body_text('{"head":{},"body":{"a":"\\u0041"}}') == '{"a":"\\u0041"}'
    assert checksum.raw_body_text("not json") is None
    assert checksum.raw_body_text('{"head":{}}') is None


def test_signed_envelope_signs_exactly_the_body_text_it_contains():
    text = checksum.signed_envelope(body={"b": "1", "a": "2"}, key="TESTKEY_1234abcd", head={"version": "v1"})
    assert text.startswith('{"head":{"version":"v1","signature":"')
    assert text.endswith(',"body":{"b":"1","a":"2"}}')
    signature = json.loads(text)["head"]["signature"]
    assert PaytmChecksum.verifySignature('{"b":"1","a":"2"}', "TESTKEY_1234abcd", signature) is True
