"""HTTP Basic credentials as the gateways parse them: strictly.

Razorpay rejects `BASIC`, `basic` and quoted tokens, so the scheme is matched exactly
(https://razorpay.com/docs/api/authentication/).
"""

import base64
import binascii

BASIC_PREFIX = "Basic "


def basic_credentials(*, authorization: str) -> tuple[str, str] | None:
    """(username, password) from an `Authorization` header, or None when malformed."""
    if not authorization.startswith(BASIC_PREFIX):
        return None
    token = authorization[len(BASIC_PREFIX) :]
    try:
        decoded = base64.b64decode(token, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, separator, password = decoded.partition(":")
    if not separator:
        return None
    return username, password
