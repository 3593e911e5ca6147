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
    """XXXX1234 for an account number; ab***@okxyz for a UPI id."""
    if not value:
        return ""
    value = str(value)
    if "@" in value:
        user, _, handle = value.partition("@")
        return f"{user[:2]}***@{handle}"
    return "XXXX" + value[-4:] if len(value) > 4 else "XXXX"


def mask_secret(value: str | None) -> str:
    """At most the last 4 characters of a secret, for showing that one is set."""
    if not value:
        return ""
    return "••••" + str(value)[-4:] if len(str(value)) >= 12 else "••••"


def redact(data: Any) -> Any:
    """A copy of a JSON-like structure with secrets removed and accounts masked."""
    if isinstance(data, dict):
        cleaned = {}
        for key, value in data.items():
            lowered = str(key).lower()
            if lowered in SECRET_KEYS:
                cleaned[key] = "[REDACTED]"
            elif lowered in ACCOUNT_KEYS and isinstance(value, (str, int)):
                cleaned[key] = mask_account(str(value))
            else:
                cleaned[key] = redact(value)
        return cleaned
    if isinstance(data, list):
        return [redact(item) for item in data]
    return data


_UPI = re.compile(r"\b([A-Za-z0-9._-]{2})[A-Za-z0-9._-]*@([A-Za-z][A-Za-z0-9]+)\b")
_LONG_DIGITS = re.compile(r"\b\d{5,14}(\d{4})\b")


def redact_text(text: str) -> str:
    """Mask UPI ids and long digit runs (account numbers) in free text."""
    text = _UPI.sub(r"\1***@\2", text)
    return _LONG_DIGITS.sub(r"XXXX\1", text)


class RedactingLogFilter(logging.Filter):
    """Masks account numbers and UPI ids in every log line; secrets are never passed to loggers."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_text(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
