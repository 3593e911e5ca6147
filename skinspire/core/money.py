"""Money: Decimal rupees with 2 places inside, integer paise at the gateway edge.

A float never touches an amount, and sub-paise input is an error, never a rounding.

Two ways in, on purpose. `to_rupees` takes values our code, the database or a gateway made
(a Decimal, an int, a gateway's "1500.00"). `amount_from_text` takes what a person typed or
uploaded (a form, an API body, a batch or report file): Python's Decimal reads far more than
anyone means as an amount ("١٥٠٠", "1_500", "1e3", "+5", "NaN"), so typed text must be the
plain form, and each other form is refused with its own reason instead of guessed at.
"""

import re
import unicodedata
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from skinspire.core.errors import ApplicationError

PAISE_PER_RUPEE = 100
TWO_PLACES = Decimal("0.01")


class MoneyError(ApplicationError):
    pass


# Typed amounts: ASCII digits, at most one point with at most 2 places, an optional minus
# (the caller's `minimum` decides whether it may be used), nothing else.
PLAIN_TEXT = re.compile(r"-?([0-9]*)(?:\.([0-9]*))?")
# Digit groups a gateway's report may carry: 1,500,000.00 or the Indian 15,00,000.00.
GROUPED_DIGITS = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,2}(?:,[0-9]{2})+,[0-9]{3}")
EXPONENT = re.compile(r"[+-]?[0-9]*\.?[0-9]+[eE][+-]?[0-9]+")
NOT_NUMBERS = {"nan", "snan", "inf", "infinity"}
SEPARATORS = set(",_' \u00a0\u2009\u202f")
PAISA = Decimal("0.01")
# The widest amount column holds 14 digits, 2 of them paise; every field has its own
# narrower limit besides.
MOST_TYPED = Decimal("999999999999.99")
SHOWN_CHARACTERS = 24


class AmountTextError(MoneyError):
    """Typed text that is not an amount; `code` says why (digits, exponent, not_a_number, plus,
    separator, grouping, empty, places, too_large, negative, zero, below, format)."""

    def __init__(self, message: str, code: str):
        super().__init__(message, {"code": code})
        self.code = code


def amount_from_text(text: str, *, minimum: Decimal | None = PAISA, grouped: bool = False) -> Decimal:
    """Rupees from text a person typed or uploaded, trimmed: the digits 0-9, an optional point
    and at most 2 places, and a minus only when `minimum` (None: any) allows it. `grouped`
    also takes the comma groups of a gateway's report (1,500.00 and 1,00,000.00), nothing else."""
    written = text.strip()
    plain = written
    if grouped and "," in written:
        if not GROUPED_DIGITS.fullmatch(written.removeprefix("-").partition(".")[0]):
            raise _refused(written, "grouping")
        plain = written.replace(",", "")
    match = PLAIN_TEXT.fullmatch(plain)
    if match is None or not (match[1] or match[2]):
        raise _refused(written, _why_not_plain(written))
    if len(match[2] or "") > 2:
        raise _refused(written, "places")
    amount = Decimal(plain)
    if abs(amount) > MOST_TYPED:
        raise _refused(written, "too_large")
    if minimum is not None and amount < minimum:
        raise _refused(written, "negative" if amount < 0 else "zero" if amount == 0 else "below", minimum)
    amount = amount.quantize(PAISA)
    return abs(amount) if amount == 0 else amount  # "-0" is 0.00


def _why_not_plain(written: str) -> str:
    if not written:
        return "empty"
    if any(unicodedata.category(character) == "Nd" for character in written if not "0" <= character <= "9"):
        return "digits"
    if written.lstrip("+-").casefold() in NOT_NUMBERS:
        return "not_a_number"
    if EXPONENT.fullmatch(written):
        return "exponent"
    bare = "".join(character for character in written if character not in SEPARATORS)
    if written.startswith("+") and PLAIN_TEXT.fullmatch(bare[1:]):
        return "plus"
    if bare != written and PLAIN_TEXT.fullmatch(bare):
        return "separator"
    return "format"


def _refused(written: str, code: str, minimum: Decimal | None = None) -> AmountTextError:
    # The text is echoed, cut short and without characters a page or a log would not print.
    shown = "".join(character if character.isprintable() else "?" for character in written[:SHOWN_CHARACTERS])
    shown = f"'{shown}…'" if len(written) > SHOWN_CHARACTERS else f"'{shown}'"
    messages = {
        "empty": "An amount is needed.",
        "digits": f"{shown} has digits other than 0-9; write the amount with the digits 0-9, like 1500.00.",
        "not_a_number": f"{shown} is not an amount; write it with the digits 0-9, like 1500.00.",
        "exponent": f"{shown} has an exponent; write the amount out in full with the digits 0-9, like 1500.00.",
        "plus": f"{shown} has a plus sign; write the amount with the digits 0-9 alone, like 1500.00.",
        "separator": f"{shown} has a separator between its digits; write the amount with the digits 0-9 "
        "and a point alone, like 150000.00.",
        "grouping": f"{shown} has its commas out of place; group the digits like 1,500.00 or 1,00,000.00.",
        "places": f"{shown} has more than 2 decimal places; amounts are in whole paise.",
        "too_large": f"{shown} is too large to be an amount; the most is {MOST_TYPED}.",
        "negative": "An amount cannot be negative here.",
        "zero": "The amount must be more than zero.",
        "below": f"The amount must be at least {format_inr(minimum or 0)}.",
        "format": f"{shown} is not an amount in rupees with at most 2 decimal places.",
    }
    return AmountTextError(messages[code], code)


def to_rupees(value: Decimal | int | str) -> Decimal:
    """Parse rupees exactly. Accepts Decimal, int or a decimal string; never a float."""
    if isinstance(value, (float, bool)):
        raise MoneyError("Amounts must be given as decimal strings, not floating point.")
    try:
        amount = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except InvalidOperation as error:
        raise MoneyError(f"'{value}' is not an amount.") from error
    if not amount.is_finite():
        raise MoneyError(f"'{value}' is not an amount.")
    try:
        exact = amount.quantize(TWO_PLACES, rounding=ROUND_DOWN)
    except InvalidOperation as error:  # more digits than the context holds (e.g. 1e30)
        raise MoneyError(f"'{value}' is too large to be an amount.") from error
    if amount != exact:
        raise MoneyError(f"'{value}' has more than 2 decimal places; amounts are in whole paise.")
    return exact


def rupees_to_paise(value: Decimal | int | str) -> int:
    """Rupees to integer paise for a gateway. Rejects anything finer than a paisa."""
    return int(to_rupees(value) * PAISE_PER_RUPEE)


def paise_to_rupees(paise: int | str) -> Decimal:
    """Integer paise from a gateway to Decimal rupees."""
    if isinstance(paise, bool) or not isinstance(paise, (int, str)):
        raise MoneyError(f"Paise must be an integer, got {paise!r}.")
    try:
        whole = int(paise)
    except ValueError as error:
        raise MoneyError(f"'{paise}' is not a whole number of paise.") from error
    try:
        return (Decimal(whole) / PAISE_PER_RUPEE).quantize(TWO_PLACES)
    except InvalidOperation as error:  # more digits than the context holds (a signed 10**30)
        raise MoneyError(f"'{paise}' paise is too large to be an amount.") from error


def format_inr(value: Decimal | int | str) -> str:
    """Indian grouping with the rupee sign: ₹1,23,456.78 (and -₹5.00)."""
    amount = to_rupees(value)
    sign = "-" if amount < 0 else ""
    whole, fraction = f"{abs(amount):.2f}".split(".")
    if len(whole) > 3:
        head, tail = whole[:-3], whole[-3:]
        groups: list[str] = []
        while len(head) > 2:
            groups.insert(0, head[-2:])
            head = head[:-2]
        if head:
            groups.insert(0, head)
        whole = ",".join(groups + [tail])
    return f"{sign}₹{whole}.{fraction}"
