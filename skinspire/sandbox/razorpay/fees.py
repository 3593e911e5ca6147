"""Gateway fees, in integer paise.

Razorpay's `fee` includes the GST on it and `tax` is that GST part (payment `fee:1180,
tax:180` on ₹500; payout `fees:590, tax:90`; reference §2.6, §3.2). Rounding: each step
rounds half up to the paisa, computed in integers so no float ever touches an amount.
"""

COLLECTION_FEE_BASIS_POINTS = 200  # 2% of the payment amount, the standard plan rate
PAYOUT_FEE_PAISE = 500  # flat ₹5 per payout (IMPS/NEFT/UPI on the standard plan)
GST_PERCENT = 18


def _round_half_up_division(numerator: int, denominator: int) -> int:
    return (numerator + denominator // 2) // denominator


def gst_on(*, fee_paise: int) -> int:
    return _round_half_up_division(fee_paise * GST_PERCENT, 100)


def collection_fee(*, amount_paise: int) -> tuple[int, int]:
    """(fee including GST, GST) for a captured payment."""
    base = _round_half_up_division(amount_paise * COLLECTION_FEE_BASIS_POINTS, 10_000)
    tax = gst_on(fee_paise=base)
    return base + tax, tax


def payout_fee() -> tuple[int, int]:
    """(fees including GST, GST) for one payout."""
    tax = gst_on(fee_paise=PAYOUT_FEE_PAISE)
    return PAYOUT_FEE_PAISE + tax, tax
