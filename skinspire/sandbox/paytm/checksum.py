"""Paytm's checksum, exactly as Paytm computes it: the official `paytmchecksum` library.

Which bytes are signed is the part integrations get wrong (reference §3.2, §3.5):
- JSON APIs sign the exact text of the `body` object (no re-serialisation), so the
  sandbox verifies against the raw substring of the request and signs the exact text
  it sends;
- form callbacks and the settlement list sign a dict (sorted values joined by `|`).
"""

import json
import re

from paytmchecksum import PaytmChecksum

_BODY_KEY = re.compile(r'"body"\s*:\s*')


def compact_json(value) -> str:
    """The one serialisation the sandbox sends (and signs): compact, key order kept."""
    return json.dumps(value, separators=(",", ":"))


def sign(payload: str | dict[str, str], key: str) -> str:
    return PaytmChecksum.generateSignature(payload, key)


def is_valid(payload: str | dict[str, str], key: str, checksum: str | None) -> bool:
    """True when `checksum` signs `payload` with `key`; anything malformed is simply invalid.

    The library deletes CHECKSUMHASH from a dict it is given and raises (instead of
    returning False) on a corrupt checksum or a wrong-length key, so it gets a copy and
    its errors are caught by name.
    """
    if not checksum or not isinstance(checksum, str):
        return False
    if isinstance(payload, str) and "CHECKSUMHASH" in payload:
        return False  # the library would try `del str[...]` and raise TypeError
    candidate = dict(payload) if isinstance(payload, dict) else payload
    try:
        return bool(PaytmChecksum.verifySignature(candidate, key, checksum))
    except (ValueError, TypeError, IndexError, AttributeError):
        # binascii.Error and UnicodeDecodeError are ValueErrors; IndexError: empty plaintext.
        return False


def raw_body_text(raw: str) -> str | None:
    """The exact text of the top-level `"body":{...}` object in a JSON envelope.

    Paytm's reference receivers locate the body object in the received text and verify
    the signature over those characters; a parsed-and-dumped copy may differ in spacing,
    escaping or key order and would not verify.
    """
    try:
        envelope = json.loads(raw)
    except json.JSONDecodeError:
        return None
    if not isinstance(envelope, dict) or not isinstance(envelope.get("body"), dict):
        return None
    decoder = json.JSONDecoder()
    for match in _BODY_KEY.finditer(raw):
        try:
            value, end = decoder.raw_decode(raw, match.end())
        except json.JSONDecodeError:
            continue
        if value == envelope["body"]:
            return raw[match.end() : end]
    return compact_json(envelope["body"])


def signed_envelope(*, body: dict, key: str, head: dict) -> str:
    """`{"head":{...,"signature"},"body":{...}}` whose signature covers the body text sent."""
    body_text = compact_json(body)
    head = {**head, "signature": sign(body_text, key)}
    return '{"head":' + compact_json(head) + ',"body":' + body_text + "}"
