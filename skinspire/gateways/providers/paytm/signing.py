"""Paytm checksums, made and checked with the official `paytmchecksum` package.

Paytm signs exact strings (reference §3.2): a JSON body is signed as the very bytes that
are sent, so every outbound body is serialised once, signed, and sent as that string.
`verifySignature` mutates the dict it is given and raises on a corrupt checksum or a
wrong key (reference §3.4), so it is only ever called on a copy, and only the
exceptions it is known to raise are read as "not verified".
"""

import binascii
import json
import secrets
from decimal import Decimal
from typing import Any

from paytmchecksum import PaytmChecksum

# What verifySignature raises on garbage: bad base64 (binascii.Error), a wrong key or a
# truncated checksum (ValueError from the cipher, UnicodeDecodeError when unpadding),
# a non-string value in a dict (AttributeError on .lower()), and "CHECKSUMHASH" text in
# a str input (TypeError on del), and a checksum that decodes to nothing (IndexError when
# unpadding, e.g. ":" or "=====").
_VERIFY_ERRORS = (
    ValueError,
    binascii.Error,
    UnicodeDecodeError,
    TypeError,
    KeyError,
    AttributeError,
    IndexError,
)


def compact_json(data: Any, *, ensure_ascii: bool = True) -> str:
    """The one serialisation of an outbound body. Decimals become JSON numbers, exactly.

    Paytm's link API takes `amount` as a number (reference §2.5); going through float
    could turn 1500.10 into 1500.1000000000000227, so each Decimal is written as a unique
    placeholder string and then replaced by its own decimal text.
    """
    nonce = secrets.token_hex(8)
    numbers: dict[str, str] = {}

    def swap(value: Any) -> Any:
        if isinstance(value, Decimal):
            token = f"__decimal_{nonce}_{len(numbers)}__"
            numbers[f'"{token}"'] = format(value, "f")
            return token
        if isinstance(value, dict):
            return {key: swap(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [swap(item) for item in value]
        return value

    text = json.dumps(swap(data), separators=(",", ":"), ensure_ascii=ensure_ascii)
    for token, number in numbers.items():
        text = text.replace(token, number)
    return text


def sign_text(text: str, *, merchant_key: str) -> str:
    return PaytmChecksum.generateSignature(text, merchant_key)


def sign_fields(fields: dict[str, str], *, merchant_key: str) -> str:
    """Checksum of form fields: values of the sorted keys joined with '|' (reference §3.2)."""
    return PaytmChecksum.generateSignature(dict(fields), merchant_key)


def verify_text(text: str, *, merchant_key: str, checksum: str) -> bool:
    if not checksum or not isinstance(checksum, str):
        return False
    try:
        # The by-string entry point: verifySignature(str) would try to `del` from a body
        # that merely contains the text "CHECKSUMHASH" and raise.
        return bool(PaytmChecksum.verifySignatureByString(text, merchant_key, checksum))
    except _VERIFY_ERRORS:
        return False


def verify_fields(fields: dict[str, str], *, merchant_key: str, checksum: str) -> bool:
    if not checksum or not isinstance(checksum, str):
        return False
    others = {key: value for key, value in fields.items() if key != "CHECKSUMHASH"}
    try:
        return bool(PaytmChecksum.verifySignature(others, merchant_key, checksum))
    except _VERIFY_ERRORS:
        return False


def verify_form(fields: dict[str, str], *, merchant_key: str) -> bool:
    """A posted form (PG/link payment, refund ARN) signed by its own CHECKSUMHASH field."""
    return verify_fields(fields, merchant_key=merchant_key, checksum=fields.get("CHECKSUMHASH", ""))


def raw_body_text(raw: str, parsed_body: Any) -> str | None:
    """The exact text of the top-level `"body"` value inside a raw `{head, body}` document.

    Paytm signs the body string it serialised (reference §2.8); re-serialising our parse
    of it would not reproduce its spacing or key order, so the signature is checked
    against the raw substring. Each `"body"` key occurrence is tried, and the one whose
    value parses to the document's body is taken, so a "body" inside a string can't win.
    """
    decoder = json.JSONDecoder(parse_float=Decimal)
    start = raw.find('"body"')
    while start != -1:
        colon = start + len('"body"')
        while colon < len(raw) and raw[colon] in " \t\r\n":
            colon += 1
        if colon < len(raw) and raw[colon] == ":":
            value_start = colon + 1
            while value_start < len(raw) and raw[value_start] in " \t\r\n":
                value_start += 1
            try:
                value, end = decoder.raw_decode(raw, value_start)
            except ValueError:
                value, end = None, value_start
            if value == parsed_body and end > value_start:
                return raw[value_start:end]
        start = raw.find('"body"', start + 1)
    return None


def verify_enveloped(raw: str, document: dict[str, Any], *, merchant_key: str) -> bool:
    """Check `head.signature` of a `{head, body}` document against its raw body text."""
    head = document.get("head") or {}
    checksum = head.get("signature") if isinstance(head, dict) else None
    if not checksum:
        return False
    body = document.get("body")
    candidates = [raw_body_text(raw, body)]
    # Fallbacks: the compact form Paytm's own receivers sign when the raw text is lost.
    candidates.append(compact_json(body))
    candidates.append(compact_json(body, ensure_ascii=False))
    return any(verify_text(text, merchant_key=merchant_key, checksum=checksum) for text in candidates if text)
