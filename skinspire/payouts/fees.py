"""Fee preview: a flat fee per provider and mode plus 18% GST on it, as gateways charge
payouts (the sandbox charges ₹5 + ₹0.90 GST, like RazorpayX's standard plan).

PAYOUT_FEE_RULES = {"razorpay": {"imps": "5.00", ...}, ...} overrides the defaults; a
provider or mode it does not name uses DEFAULT_FLAT_FEE.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from skinspire.core.money import TWO_PLACES, to_rupees

GST_RATE = Decimal("0.18")
DEFAULT_FLAT_FEE = Decimal("5.00")


@dataclass(frozen=True)
class FeePreview:
    fee: Decimal  # including GST
    tax: Decimal
    supplier_receives: Decimal
    total_debit: Decimal  # what leaves our gateway balance: amount + fee


def fee_preview(*, provider: str, mode: str, amount: Decimal) -> FeePreview:
    rules = getattr(settings, "PAYOUT_FEE_RULES", {}) or {}
    flat = to_rupees(str(rules.get(provider, {}).get(mode, DEFAULT_FLAT_FEE)))
    tax = (flat * GST_RATE).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    return FeePreview(fee=flat + tax, tax=tax, supplier_receives=amount, total_debit=amount + flat + tax)
