"""Money: Decimal rupees with 2 places inside, integer paise at the gateway edge.

A float never touches an amount, and sub-paise input is an error, never a rounding.
"""

from decimal import ROUND_DOWN, Decimal, InvalidOperation

from skinspire.core.errors import ApplicationError

PAISE_PER_RUPEE = 100
TWO_PLACES = Decimal("0.01")


class MoneyError(ApplicationError):
    pass


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
