"""Request validation with Razorpay's (Laravel-style) messages.

Razorpay validates with Laravel rules, so its messages read "The amount field is required.",
"The amount must be an integer.", "The selected mode is invalid."; we mirror that form.
"""

import re
from collections.abc import Callable
from typing import Any

from skinspire.sandbox.razorpay.errors import RazorpayApiError, invalid_field

MINIMUM_AMOUNT_PAISE = 100
# Razorpay publishes no ceiling; the sandbox's (₹100 crore) keeps every sum of amounts far
# inside the 64-bit paise balance, so 1e30 is a 400 rather than an overflow.
MAXIMUM_AMOUNT_PAISE = 1_000_000_000_000
MAXIMUM_NOTES = 15
MAXIMUM_NOTE_LENGTH = 256
# Laravel's `integer` rule is PHP's: ASCII digits within a signed 64-bit integer.
INTEGER_TEXT = re.compile(r"-?[0-9]{1,19}")
INTEGER_RANGE = range(-(2**63), 2**63)

ErrorFactory = Callable[..., RazorpayApiError]


def integer_value(value: Any) -> int | None:
    """An integer from JSON: a number or a string of digits (Laravel's `integer` rule)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and INTEGER_TEXT.fullmatch(value.strip()):
        value = int(value.strip())
    return value if isinstance(value, int) and value in INTEGER_RANGE else None


def amount_required(data: dict, *, field: str = "amount", error: ErrorFactory = invalid_field) -> int:
    if data.get(field) in (None, ""):
        raise error(f"The {field} field is required.", field=field)
    amount = integer_value(data[field])
    if amount is None:
        raise error(f"The {field} must be an integer.", field=field)
    if amount < MINIMUM_AMOUNT_PAISE:
        raise error(f"The {field} must be at least INR 1.00", field=field)
    if amount > MAXIMUM_AMOUNT_PAISE:
        raise error(f"The {field} may not be greater than {MAXIMUM_AMOUNT_PAISE}.", field=field)
    return amount


def currency_inr(data: dict, *, required: bool = True, error: ErrorFactory = invalid_field) -> str:
    currency = data.get("currency")
    if currency in (None, ""):
        if required:
            raise error("The currency field is required.", field="currency")
        return "INR"
    if currency != "INR":
        # The sandbox settles in rupees only, as payouts and payout links do on Razorpay.
        raise error("The selected currency is invalid.", field="currency")
    return currency


def string_optional(
    data: dict, field: str, *, max_length: int, error: ErrorFactory = invalid_field
) -> str | None:
    value = data.get(field)
    if value is None:
        return None
    if not isinstance(value, str):
        raise error(f"The {field} must be a string.", field=field)
    if len(value) > max_length:
        raise error(f"The {field} may not be greater than {max_length} characters.", field=field)
    return value


def mapping_optional(
    data: dict, field: str, *, value_types: tuple[type, ...], error: ErrorFactory = invalid_field
) -> dict | None:
    """A JSON object whose values are all of `value_types` (e.g. `customer`: strings)."""
    value = data.get(field)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise error(f"The {field} must be an array.", field=field)
    if not all(isinstance(item, value_types) for item in value.values()):
        raise error(f"The {field} contains an invalid value.", field=field)
    return value


def notes_optional(data: dict, *, error: ErrorFactory = invalid_field) -> dict | list:
    notes = data.get("notes")
    if notes in (None, [], {}):
        return []  # Razorpay renders empty notes as [] (fixture fake_order.json)
    if not isinstance(notes, dict):
        raise error("The notes must be an array.", field="notes")
    if len(notes) > MAXIMUM_NOTES:
        raise error(
            f"Number of fields in notes should be less than or equal to {MAXIMUM_NOTES}", field="notes"
        )
    for value in notes.values():
        if isinstance(value, (dict, list)):
            raise error("The notes value must be a string.", field="notes")
        if len(str(value)) > MAXIMUM_NOTE_LENGTH:
            raise error(
                f"The notes value may not be greater than {MAXIMUM_NOTE_LENGTH} characters.", field="notes"
            )
    return notes


def boolean_optional(data: dict, field: str, *, default: bool, error: ErrorFactory = invalid_field) -> bool:
    value = data.get(field, default)
    if value in (True, False, 0, 1, "0", "1", "true", "false"):
        return value in (True, 1, "1", "true")
    raise error(f"The {field} field must be true or false.", field=field)


def choice_required(data: dict, field: str, *, choices: set[str], error: ErrorFactory = invalid_field) -> str:
    value = data.get(field)
    if value in (None, ""):
        raise error(f"The {field} field is required.", field=field)
    if not isinstance(value, str) or value not in choices:
        raise error(f"The selected {field} is invalid.", field=field)
    return value


def pagination(params: dict) -> tuple[int, int, int | None, int | None]:
    """(count, skip, from, to) from list query parameters; count 1–100, default 10."""
    values = {}
    for field, default in (("count", 10), ("skip", 0), ("from", None), ("to", None)):
        raw = params.get(field)
        if raw in (None, ""):
            values[field] = default
            continue
        number = integer_value(raw)
        if number is None:
            raise invalid_field(f"The {field} must be an integer.", field=field)
        values[field] = number
    count, skip = values["count"], values["skip"]
    assert count is not None and skip is not None  # their defaults are numbers
    if not 1 <= count <= 100:
        raise invalid_field("The count must be between 1 and 100.", field="count")
    if skip < 0:
        raise invalid_field("The skip must be at least 0.", field="skip")
    return count, skip, values["from"], values["to"]


def fields_allowed(data: dict, allowed: frozenset[str], *, error: ErrorFactory = invalid_field) -> None:
    """Refuse any field the endpoint does not take, before any other check, as Razorpay's
    ExtraFieldsException does: "a, b is/are not required and should not be sent" (fields in
    request order, `field: null`). Fields Razorpay takes but the sandbox does not implement
    are refused too, so a test never relies on a field that was silently ignored."""
    extra = [name for name in data if name not in allowed]
    if extra:
        raise error(f"{', '.join(extra)} is/are not required and should not be sent", field=None)
