"""One cell of a report, checked: amounts in whole paise, dates in the layouts the gateways
use, text trimmed. A bad cell raises CellError with a sentence for the accountant."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from skinspire.core.money import AmountTextError, amount_from_text
from skinspire.core.spreadsheets import cell_text

DATE_LAYOUTS = (  # after ISO 8601 (datetime.fromisoformat)
    "%d-%m-%Y %H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d-%m-%Y",
    "%d/%m/%Y",
)
SECONDS_LOWEST, SECONDS_HIGHEST = 946684800, 4102444800  # Unix seconds of 2000 and 2100


def _india_time(moment: datetime) -> datetime:
    # The project's time zone, named directly: the "current" one is a thread-local lookup
    # per call, which a million-row report feels.
    return timezone.make_aware(moment, timezone.get_default_timezone())


class CellError(ValueError):
    pass


def text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def amount(value: Any) -> Decimal:
    """Rupees with at most 2 places, by the one rule for typed amounts (core.money), with the
    comma groups a gateway's download may have (1,000.00, 1,00,000.00) and a sign; an Excel
    number (a float there) is read from its shortest text, so 23.6 is ₹23.60 and 23.601 is
    refused, never rounded."""
    written = cell_text(value)
    if not written:
        raise CellError("is empty; an amount is needed")
    try:
        return amount_from_text(written, minimum=None, grouped=True)
    except AmountTextError as error:
        raise CellError(error.message.removesuffix(".")) from error


def unsigned_amount(value: Any) -> Decimal:
    """The size of an amount: refunds may be written with a minus sign, the type says the side."""
    return abs(amount(value))


def moment(value: Any, *, required: bool = True) -> datetime | None:
    """A datetime cell, Unix seconds, or text in one of DATE_LAYOUTS (India time when naive)."""
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else _india_time(value)
    written = text(value)
    if not written:
        if required:
            raise CellError("is empty; a date is needed")
        return None
    if not written.isascii():
        # Python reads other scripts' digits in some places (int, strptime) and not others
        # ("²" passes isdigit() and breaks int()); a date is written with 0-9 alone.
        raise CellError(
            f"'{written}' is not a date written with the digits 0-9 (use YYYY-MM-DD HH:MM:SS or DD/MM/YYYY)"
        )
    if written.isdigit() and SECONDS_LOWEST <= int(written) <= SECONDS_HIGHEST:
        return datetime.fromtimestamp(int(written), tz=UTC)
    try:  # ISO 8601, the common case, parsed in C
        parsed = datetime.fromisoformat(written)
    except ValueError:
        pass
    else:
        return parsed if timezone.is_aware(parsed) else _india_time(parsed)
    for layout in DATE_LAYOUTS:
        try:
            return _india_time(datetime.strptime(written, layout))
        except ValueError:
            continue
    raise CellError(f"'{written}' is not a date (use YYYY-MM-DD HH:MM:SS or DD/MM/YYYY)")
