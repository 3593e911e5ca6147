"""Masking of secrets, account numbers and UPI ids — for pages, logs and stored bodies."""

import logging
import re
from typing import Any

# Keys whose values are secrets: never stored or logged, not even in part.
SECRET_KEYS = {
    "key_secret",
    "secret",
    "webhook_secret",
    "password",
    "authorization",
    "merchant_key",
    "merchantkey",
    "signature",
    "checksumhash",
    "x-checksum",
    "x-razorpay-signature",
    "token",
    "txntoken",
    "client_secret",
    "api_key",
    # Paytm: the payout subwallet GUID and the merchant id are credentials of ours.
    "subwalletguid",
    "mid",
    "x-mid",
}
# Keys whose values identify a bank account or UPI id: kept as their last 4 characters.
ACCOUNT_KEYS = {
    "account_number",
    "beneficiaryaccount",
    "vpa",
    "beneficiaryvpa",
    "address",
    "payer_account",
    "bank_account_number",
    "upi_id",
}


def mask_account(value: str | None) -> str:
    """XXXX1234 for an account number; ab***@okxyz for a UPI id. Never more than half of it
    shows: the last 4 of a 5-character account number, or the first 2 of a 2-character UPI
    name, would be the whole of it but one character, or all of it."""
    if not value:
        return ""
    value = str(value)
    if "@" in value:
        user, _, handle = value.partition("@")
        return f"{user[: min(2, len(user) // 2)]}***@{handle}"
    shown = min(4, len(value) // 2) if len(value) > 4 else 0
    return "XXXX" + value[len(value) - shown :]


def mask_secret(value: str | None) -> str:
    """At most the last 4 characters of a secret, for showing that one is set."""
    if not value:
        return ""
    return "••••" + str(value)[-4:] if len(str(value)) >= 12 else "••••"


# Keys whose values are ids or bank references: kept readable even when free text is masked.
REFERENCE_KEYS = {"id", "utr", "arn", "rrn", "url", "short_url", "bank_reference", "created_at"}


def _is_account_key(key: str) -> bool:
    # Gateways add variants of the known names (RazorpayX `debit_account_number`).
    return key in ACCOUNT_KEYS or key.endswith("account_number")


def _is_reference_key(key: str) -> bool:
    return key in REFERENCE_KEYS or key.endswith("_id") or (key.endswith("id") and key.isalpha())


def redact(data: Any, *, mask_free_text: bool = False, _key: str = "") -> Any:
    """A copy of a JSON-like structure with secrets removed and accounts masked.

    `mask_free_text` also masks digit runs and UPI ids inside every other string value
    (gateways echo account numbers in error descriptions), sparing ids and bank references.
    """
    if isinstance(data, dict):
        cleaned = {}
        for key, value in data.items():
            lowered = str(key).lower()
            if lowered in SECRET_KEYS:
                cleaned[key] = "[REDACTED]"
            elif _is_account_key(lowered) and isinstance(value, (str, int)) and not isinstance(value, bool):
                cleaned[key] = mask_account(str(value))
            else:
                cleaned[key] = redact(value, mask_free_text=mask_free_text, _key=lowered)
        return cleaned
    if isinstance(data, list):
        return [redact(item, mask_free_text=mask_free_text, _key=_key) for item in data]
    if mask_free_text and isinstance(data, str) and not _is_reference_key(_key):
        return redact_text(data)
    return data


_UPI = re.compile(r"\b[A-Za-z0-9._-]+@[A-Za-z][A-Za-z0-9]+\b")
_LONG_DIGITS = re.compile(r"\b\d{5,14}(\d{4})\b")


def redact_text(text: str) -> str:
    """Mask UPI ids and long digit runs (account numbers) in free text."""
    text = _UPI.sub(lambda match: mask_account(match.group(0)), text)
    return _LONG_DIGITS.sub(r"XXXX\1", text)


REDACTED = "[REDACTED]"
# Known secret values shorter than this are blanked only where they are a whole value:
# as substrings they would mangle unrelated text ("C11" inside an order id).
SUBSTRING_MINIMUM = 6


def redact_values(data: Any, values: tuple[str, ...] | list[str]) -> Any:
    """A copy of a JSON-like structure (or a string) with every known secret value blanked."""
    values = sorted({value for value in values if value}, key=len, reverse=True)
    if not values:
        return data
    return _blank(data, values)


def _blank(data: Any, values: list[str]) -> Any:
    if isinstance(data, dict):
        return {key: _blank(item, values) for key, item in data.items()}
    if isinstance(data, list):
        return [_blank(item, values) for item in data]
    if not isinstance(data, str):
        return data
    if data in values:
        return REDACTED
    for value in values:
        if len(value) >= SUBSTRING_MINIMUM:
            data = data.replace(value, REDACTED)
    return data


class RedactingLogFilter(logging.Filter):
    """Masks account numbers and UPI ids in every log line; secrets are never passed to loggers."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_text(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
