"""Paytm's words for states, amounts and times, translated to the interface's.

Decisions (docs/gateways-paytm.md):
- Payouts: ACCEPTED and QUEUED mean Paytm holds the order but has not started it (DE_002,
  queued for balance or approval) -> PENDING; PENDING is Paytm's "in process, check
  later" (DE_101) -> PROCESSING. A FAILURE that carries DE_685 or a reversalReason is a
  reversal of money that had left -> REVERSED. An unknown word is never read as final.
  While held, statusCode / statusMessage are the waiting code and reason.
- Fees: `fee` includes GST, as for Razorpay: fee = commissionAmount + tax.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypedDict
from zoneinfo import ZoneInfo

from skinspire.core.money import to_rupees
from skinspire.core.redaction import redact_text
from skinspire.gateways.providers.interface import LinkStatus, PaymentStatus, PayoutStatus, RefundStatus

INDIA = ZoneInfo("Asia/Kolkata")
REVERSAL_CODE = "DE_685"

PAYOUT_STATUSES = {
    "ACCEPTED": PayoutStatus.PENDING,
    "QUEUED": PayoutStatus.PENDING,
    "PENDING": PayoutStatus.PROCESSING,
    "SUCCESS": PayoutStatus.PROCESSED,
    "FAILURE": PayoutStatus.FAILED,
    "CANCELLED": PayoutStatus.CANCELLED,
}
PAYMENT_STATUSES = {
    "TXN_SUCCESS": PaymentStatus.CAPTURED,
    "TXN_FAILURE": PaymentStatus.FAILED,
    "PENDING": PaymentStatus.PENDING,
}
REFUND_STATUSES = {
    "TXN_SUCCESS": RefundStatus.PROCESSED,
    "SUCCESS": RefundStatus.PROCESSED,
    "PENDING": RefundStatus.PENDING,
    "TXN_FAILURE": RefundStatus.FAILED,
    "FAILED": RefundStatus.FAILED,
}
PAYOUT_FAILURES = {PayoutStatus.FAILED, PayoutStatus.REVERSED, PayoutStatus.CANCELLED}
# A link's paymentStatus filter values (reference §2.5); INIT and PENDING are both unpaid.
LINK_PAYMENT_STATUSES = {
    "ACTIVE": LinkStatus.CREATED,
    "INIT": LinkStatus.CREATED,
    "PENDING": LinkStatus.CREATED,
    "PAID": LinkStatus.PAID,
    "EXPIRED": LinkStatus.EXPIRED,
}
# Order states of a link's transactions differ by MID (reference §2.5): match both.
LINK_ORDER_SUCCESS = {"SUCCESS", "TXN_SUCCESS"}


def payout_status(status: str, *, status_code: str = "", reversal_reason: str = "") -> PayoutStatus:
    if status == "FAILURE" and (status_code == REVERSAL_CODE or reversal_reason):
        return PayoutStatus.REVERSED
    return PAYOUT_STATUSES.get(status, PayoutStatus.PROCESSING)


class Failure(TypedDict):
    failure_code: str
    failure_reason: str


def failure(*, failed: bool, code: Any, message: Any) -> Failure:
    """failure_code / failure_reason (base.py): Paytm's code, and its message for staff
    (the code again when Paytm gave no message). Both empty unless it failed. The message is
    masked (core.redaction.redact_text): a bank's words may name the account or UPI id, and
    the reason is stored and shown wherever the payment is."""
    if not failed:
        return {"failure_code": "", "failure_reason": ""}
    code_text = str(code or "")
    return {"failure_code": code_text, "failure_reason": redact_text(str(message or "") or code_text)}


def payout_failure(document: dict[str, Any], *, status: PayoutStatus) -> Failure:
    """A reversal's reversalReason (FRESH_REVERSAL) says more than its DE_685, so it wins."""
    result = document.get("result") or {}
    return failure(
        failed=status in PAYOUT_FAILURES,
        code=result.get("reversalReason") or document.get("statusCode"),
        message=document.get("statusMessage"),
    )


class Waiting(TypedDict):
    waiting_code: str
    waiting_reason: str


PAYOUT_IN_FLIGHT = {PayoutStatus.PENDING, PayoutStatus.PROCESSING}


def payout_waiting(document: dict[str, Any], *, status: PayoutStatus) -> Waiting:
    """waiting_code / waiting_reason of a payout Paytm still holds (ACCEPTED, QUEUED, PENDING):
    its statusCode and statusMessage ("DE_101", "Your request is in process. Kindly check
    after sometime"; reference §1.4), as RazorpayX's status_details are kept
    (razorpay/mapping.py, payout_waiting). Empty once it is final. Masked like a failure's
    words: they are shown wherever the payment is."""
    if status not in PAYOUT_IN_FLIGHT:
        return {"waiting_code": "", "waiting_reason": ""}
    code = str(document.get("statusCode") or "")
    return {
        "waiting_code": code,
        "waiting_reason": redact_text(str(document.get("statusMessage") or "") or code),
    }


def refund_failure(document: dict[str, Any], *, failed: bool) -> Failure:
    """The rejection pair when Paytm gives one (accept webhook), else the resultInfo pair."""
    if document.get("rejectRefundReasonCode"):
        code, message = document["rejectRefundReasonCode"], document.get("rejectRefundReasonMessage")
    else:
        result_info = document.get("resultInfo") or {}
        code, message = result_info.get("resultCode"), result_info.get("resultMsg")
    return failure(failed=failed, code=code, message=message)


def payment_status(status: str) -> PaymentStatus:
    return PAYMENT_STATUSES.get(status, PaymentStatus.PENDING)


def refund_status(status: str) -> RefundStatus:
    return REFUND_STATUSES.get(status, RefundStatus.PENDING)


def link_status(
    *, payment_status_word: str, is_active: bool | None, expire_by: datetime | None
) -> LinkStatus:
    mapped = LINK_PAYMENT_STATUSES.get(payment_status_word.upper()) if payment_status_word else None
    if mapped == LinkStatus.PAID:
        return mapped
    if mapped != LinkStatus.EXPIRED and is_active is not False:
        return mapped or LinkStatus.CREATED
    # Paytm reports an expired and an expired-on-request (/link/expire) link alike, EXPIRED
    # and inactive: one that ended before its expiry date was ended on request.
    if expire_by is None:
        return LinkStatus.EXPIRED if mapped == LinkStatus.EXPIRED else LinkStatus.CANCELLED
    return LinkStatus.EXPIRED if expire_by <= datetime.now(tz=INDIA) else LinkStatus.CANCELLED


def amount(value: Any) -> Decimal | None:
    """Paytm amounts arrive as strings ("1.00", "100.0") or, in links, JSON numbers
    (parsed as Decimal, never float). Empty means unknown."""
    if value is None or value == "":
        return None
    return to_rupees(value if isinstance(value, Decimal) else str(value))


def amount_or_zero(value: Any) -> Decimal:
    parsed = amount(value)
    return parsed if parsed is not None else Decimal("0.00")


def fee_including_tax(commission: Any, tax: Any) -> tuple[Decimal | None, Decimal | None]:
    commission_amount, tax_amount = amount(commission), amount(tax)
    if commission_amount is None:
        return None, tax_amount
    return commission_amount + (tax_amount or Decimal("0.00")), tax_amount


def rupees_text(value: Decimal) -> str:
    """Paytm's amount strings: two decimals, '.' only (reference §1.3)."""
    return f"{to_rupees(value):.2f}"


_DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M:%S",
    "%d-%m-%Y %H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
    "%d/%m/%Y",
)


def india_datetime(value: Any) -> datetime | None:
    """Paytm's timestamps are IST wall-clock text in several layouts; unknown -> None."""
    if not value or not isinstance(value, str):
        return None
    for layout in _DATETIME_FORMATS:
        try:
            return datetime.strptime(value.strip(), layout).replace(tzinfo=INDIA)
        except ValueError:
            continue
    return None


def payout_said_at(result: dict[str, Any]) -> datetime | None:
    """When Paytm said a payout's word, as far as its document tells: `processedOn`, else
    `createdOn` (the order's creation, which no word about it precedes), else None. Both
    appear only in some callbacks (reference §1.4); the documented status answers and the
    reversal webhook carry neither. Never our clock: an event without processedOn must not
    pass for the newest word (services/outcomes.py, word_said_at)."""
    return india_datetime(result.get("processedOn")) or india_datetime(result.get("createdOn"))


def link_expiry_text(moment: datetime) -> str:
    """Links take expiryDate as IST `DD/MM/YYYY HH:MM:SS` (reference §2.5)."""
    return moment.astimezone(INDIA).strftime("%d/%m/%Y %H:%M:%S")


def settlement_date_text(day: date) -> str:
    return day.strftime("%Y-%m-%d")
