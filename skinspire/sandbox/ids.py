"""Identifiers in the gateways' own formats.

Razorpay ids are a prefix plus 14 case-sensitive alphanumerics (`pay_29QQoUBi66xm2f`);
https://razorpay.com/docs/api/understand/ . Bank UTRs here are 12 digits, like IMPS/UPI RRNs.
"""

import secrets
import string

_ALPHANUMERICS = string.ascii_letters + string.digits
ID_LENGTH = 14


def object_id_new(*, prefix: str) -> str:
    return f"{prefix}_" + "".join(secrets.choice(_ALPHANUMERICS) for _ in range(ID_LENGTH))


def digits_new(*, length: int) -> str:
    return "".join(secrets.choice(string.digits) for _ in range(length))


def utr_new() -> str:
    return digits_new(length=12)
