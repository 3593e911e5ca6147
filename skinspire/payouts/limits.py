"""Per-mode amount limits, checked before a payment is recorded.

The gateways' documented limits per transaction (reference/razorpay.md §2.3, "Mode limits";
reference/paytm.md §6.5), taken together so a payment that one gateway would refuse is never
recorded for either (a fallback may send it to the other):
- UPI up to ₹1,00,000 and IMPS up to ₹5,00,000 (RazorpayX,
  https://razorpay.com/docs/x/payouts/);
- RTGS from ₹2,00,000 (RBI's RTGS minimum, as RazorpayX lists it);
- NEFT from ₹1; NEFT and RTGS up to ₹2,00,00,000, Paytm's per-payout ceiling (the current
  Paytm Payouts doc; an older one said ₹2,00,000, see reference/paytm.md §6.5).
"""

from dataclasses import dataclass
from decimal import Decimal

from skinspire.core.errors import ApplicationError
from skinspire.core.money import format_inr
from skinspire.payouts.models import TransferMode


@dataclass(frozen=True)
class ModeLimit:
    minimum: Decimal
    maximum: Decimal | None


GATEWAY_CEILING = Decimal("20000000.00")
MODE_LIMITS = {
    TransferMode.UPI: ModeLimit(Decimal("1.00"), Decimal("100000.00")),
    TransferMode.IMPS: ModeLimit(Decimal("1.00"), Decimal("500000.00")),
    TransferMode.NEFT: ModeLimit(Decimal("1.00"), GATEWAY_CEILING),
    TransferMode.RTGS: ModeLimit(Decimal("200000.00"), GATEWAY_CEILING),
}


def check_mode_limit(*, mode: str, amount: Decimal) -> None:
    limit = MODE_LIMITS.get(TransferMode(mode))
    if limit is None:  # manual modes have no gateway limit
        return
    label = TransferMode(mode).label
    if amount < limit.minimum:
        hint = " Use NEFT or IMPS for smaller amounts." if mode == TransferMode.RTGS else ""
        raise ApplicationError(
            f"{label} payouts start at {format_inr(limit.minimum)}; this one is {format_inr(amount)}.{hint}",
            {"fields": {"amount": ["below_mode_minimum"]}, "minimum": str(limit.minimum)},
        )
    if limit.maximum is not None and amount > limit.maximum:
        raise ApplicationError(
            f"{label} payouts go up to {format_inr(limit.maximum)}; this one is {format_inr(amount)}. "
            "Use NEFT or RTGS, or split the payment.",
            {"fields": {"amount": ["above_mode_maximum"]}, "maximum": str(limit.maximum)},
        )
