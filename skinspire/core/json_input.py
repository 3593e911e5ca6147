"""The one way JSON from outside is read: the API's parser, the sandbox and webhooks use it.

`json.loads` alone lets through what later code cannot hold: nesting deep enough to raise
RecursionError (a 2 KB body does it), lone surrogates and NUL (PostgreSQL stores neither;
I-JSON, RFC 7493 §2.1, forbids surrogates), `NaN`/`Infinity` (not JSON at all), and numbers
too large for any amount. Each of these is a `JSONInputError`, which is a `ValueError`, so a
caller that already catches `ValueError` for malformed JSON keeps working.
"""

import json
import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

MAXIMUM_DEPTH = 32  # no document any gateway or client sends nests beyond ~6
MAXIMUM_MAGNITUDE_BITS = 1024  # |n| < 2**1024 ≈ 1.8e308: what an IEEE double can hold
_UNSTORABLE_TEXT = re.compile("[\x00\ud800-\udfff]")
# Within parsed_once(): (raw, parse_float, storable_text) -> the document already parsed from it.
_parsed: ContextVar[dict[tuple[Any, Any, bool], Any] | None] = ContextVar("json_input_parsed", default=None)


class JSONInputError(ValueError):
    """The text is not JSON we accept: malformed, too deep, or holding what cannot be stored."""


def _reject_constant(name: str):
    raise JSONInputError(f"{name} is not a JSON value.")


@contextmanager
def parsed_once() -> Iterator[None]:
    """Within this block, the same text (with the same `parse_float`) is parsed and checked
    once: later `loads` of it return the same document. For one request whose body several
    readers parse (the webhook receiver: routing, signature, event); those readers must
    not change the document. A text that fails is not remembered (it raises each time)."""
    token = _parsed.set({})
    try:
        yield
    finally:
        _parsed.reset(token)


def loads(raw: bytes | str, *, parse_float=None, storable_text: bool = True) -> Any:
    """Parse JSON from an untrusted source, or raise `JSONInputError` saying what is wrong.

    `raw` as bytes must be UTF-8 (or UTF-16/32, which `json` detects); `parse_float=Decimal`
    keeps decimals exact, as for amounts. `storable_text=False` lets NUL and lone surrogates
    through (every other rule holds): for a reader that only looks, as a webhook's router and
    signature check do, so a signed delivery holding one is told apart from an unsigned one.
    """
    memo = _parsed.get()
    if memo is None:
        return _loads(raw, parse_float=parse_float, storable_text=storable_text)
    key = (raw, parse_float, storable_text)
    if key not in memo:
        memo[key] = _loads(raw, parse_float=parse_float, storable_text=storable_text)
    return memo[key]


def check_storable(value: Any) -> None:
    """Raise `JSONInputError` if `value` (a document, or a list of values) holds what the
    database cannot store: text with NUL or a lone surrogate, a number out of range."""
    _check(value)


def storable(text: str) -> bool:
    """Whether PostgreSQL can store (and compare) `text`: no NUL, no lone surrogate."""
    return _UNSTORABLE_TEXT.search(text) is None


def _loads(raw: bytes | str, *, parse_float=None, storable_text: bool = True) -> Any:
    try:
        value = json.loads(raw, parse_float=parse_float, parse_constant=_reject_constant)
    except RecursionError:
        raise JSONInputError(f"The JSON is nested more than {MAXIMUM_DEPTH} levels deep.") from None
    except UnicodeError:
        raise JSONInputError("The body is not UTF-8 text.") from None
    except JSONInputError:
        raise
    except ValueError as error:  # JSONDecodeError, and integers past Python's digit limit
        raise JSONInputError(f"The body is not valid JSON: {error}") from None
    if not _plainly_within_rules(raw):
        _check(value, storable_text=storable_text)
    return value


# What in the text could give a value the walk below refuses: a \u escape (NUL or a lone
# surrogate), a raw NUL or surrogate (as UTF-8 bytes, which json decodes with surrogatepass;
# NUL bytes are also how UTF-16/32 look, which then just take the walk), 300 digits in a
# row (2**1024 has 309), or a three-digit exponent (|exponent| >= 100; 1e309 is infinite).
_RISKY_BYTES = re.compile(rb"\\u|\x00|\xed[\xa0-\xbf]|\d{300}|[eE][+-]?0*[1-9]\d\d")
_RISKY_TEXT = re.compile("\\\\u|[\x00\ud800-\udfff]|\\d{300}|[eE][+-]?0*[1-9]\\d\\d")


def _plainly_within_rules(raw: bytes | str) -> bool:
    """True when a scan of the text alone shows the document keeps every rule, so the walk
    over each value can be skipped: none of the risky patterns, and fewer brackets than the
    depth limit (each level opens one; those inside strings only make the count safer).
    False means only "look closer", not "refused"."""
    if isinstance(raw, bytes):
        return not _RISKY_BYTES.search(raw) and raw.count(b"[") + raw.count(b"{") <= MAXIMUM_DEPTH
    return not _RISKY_TEXT.search(raw) and raw.count("[") + raw.count("{") <= MAXIMUM_DEPTH


def _check(value: Any, *, storable_text: bool = True) -> None:
    """Walk the document without recursion, so depth itself cannot exhaust the stack."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, (dict, list)):
            if depth > MAXIMUM_DEPTH:
                raise JSONInputError(f"The JSON is nested more than {MAXIMUM_DEPTH} levels deep.")
            if isinstance(item, dict):
                pending.extend((key, depth) for key in item)
                item = item.values()
            pending.extend((child, depth + 1) for child in item)
        elif isinstance(item, str):
            if storable_text and _UNSTORABLE_TEXT.search(item):
                raise JSONInputError("The JSON holds a NUL character or a lone surrogate (\\ud800-\\udfff).")
        elif not _number_in_range(item):
            raise JSONInputError("The JSON holds a number out of range.")


def _number_in_range(item: Any) -> bool:
    if isinstance(item, bool) or item is None:
        return True
    if isinstance(item, int):
        return item.bit_length() <= MAXIMUM_MAGNITUDE_BITS
    if isinstance(item, float):
        return math.isfinite(item)
    if isinstance(item, Decimal):
        return item.is_finite() and abs(item.adjusted()) <= 308
    return True


class JSONInputFormField(forms.JSONField):
    """A form's JSON field that reads its text as all outside JSON is read: `NaN`, `Infinity`,
    a number past a double (the database refuses them: PostgreSQL's jsonb has no such
    numbers), NUL and deep nesting are a form error, not a 500 at the save."""

    def to_python(self, value):
        if isinstance(value, str) and value not in self.empty_values and not self.disabled:
            try:
                loads(value)
            except ValueError as error:  # JSONInputError, or malformed JSON
                raise ValidationError(
                    self.error_messages["invalid"], code="invalid", params={"value": value}
                ) from error
        return super().to_python(value)
