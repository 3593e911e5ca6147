"""Identifiers and timestamps in the forms Paytm uses (reference fixtures)."""

import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

IST = ZoneInfo("Asia/Kolkata")


def digits(count: int) -> str:
    return "".join(secrets.choice("0123456789") for _ in range(count))


def now_ist() -> datetime:
    return timezone.now().astimezone(IST)


def paytm_txn_id() -> str:
    """35 characters: date + digits, like `20210716111212800110168296702833748`."""
    return now_ist().strftime("%Y%m%d") + digits(27)


def paytm_refund_id() -> str:
    return now_ist().strftime("%Y%m%d") + digits(27)


def paytm_payout_order_id() -> str:
    """24 digits, like `202104201207104363553940`."""
    return now_ist().strftime("%Y%m%d%H%M%S") + digits(10)


def bank_txn_id() -> str:
    return digits(15)


def rrn() -> str:
    """The bank reference (UTR-like) of a processed payout: 12 digits."""
    return digits(12)


def link_id() -> int:
    return int("1" + digits(9))


def txn_token() -> str:
    return secrets.token_hex(16)


def epoch_millis() -> str:
    return str(int(timezone.now().timestamp() * 1000))


def txn_datetime(moment: datetime | None = None) -> str:
    """`2021-07-16 11:18:06.0`: Paytm's TXNDATE / txnDate format (IST)."""
    moment = (moment or timezone.now()).astimezone(IST)
    return moment.strftime("%Y-%m-%d %H:%M:%S") + ".0"


def payout_datetime(moment: datetime | None = None) -> str:
    """`13-04-2022 08:05:09`: the payouts API's createdOn / processedOn format."""
    return (moment or timezone.now()).astimezone(IST).strftime("%d-%m-%Y %H:%M:%S")


def link_datetime(moment: datetime) -> str:
    """`27/08/2020 17:44:22`: the links API's date format (IST)."""
    return moment.astimezone(IST).strftime("%d/%m/%Y %H:%M:%S")


def parse_link_datetime(text: str) -> datetime | None:
    for pattern in ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y"):
        try:
            parsed = datetime.strptime(text, pattern)
        except ValueError:
            continue
        if pattern == "%d/%m/%Y":
            parsed = parsed.replace(hour=23, minute=59, second=59)  # the whole day, as Paytm reads it
        return parsed.replace(tzinfo=IST)
    return None
