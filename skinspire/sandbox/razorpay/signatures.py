"""The signatures the hosted pages hand to callback URLs (reference §4.1, §4.2)."""

import hashlib
import hmac


def _hmac_hex(*, message: str, secret: str) -> str:
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def checkout_signature(*, order_id: str, payment_id: str, secret: str) -> str:
    return _hmac_hex(message=f"{order_id}|{payment_id}", secret=secret)


def payment_link_signature(
    *, link_id: str, reference_id: str, status: str, payment_id: str, secret: str
) -> str:
    return _hmac_hex(message=f"{link_id}|{reference_id}|{status}|{payment_id}", secret=secret)
