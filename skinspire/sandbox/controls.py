"""The sandbox's own controls, which no real gateway has: settle now.

Razorpay settles T+1 at 09:30 IST and Paytm pays a day's rows out the next day; a test or a
demo of reconciliation should not have to wait. Settling now runs the same settlement code,
dated today, on everything not settled yet. Reached from admin (merchants: *Settle now*) and
from `POST /sandbox/control/settle-now` (views.settle_now).
"""

from typing import Any

from skinspire.sandbox.models import SandboxMerchant, SandboxProvider
from skinspire.sandbox.paytm.services.settlements import paytm_settlements_settle_now
from skinspire.sandbox.razorpay.services.settlements import settlement_settle_now


def merchant_settle_now(*, merchant: SandboxMerchant) -> dict[str, Any]:
    """Settle the merchant now; returns what was settled (`settled` counts the items)."""
    if merchant.provider == SandboxProvider.RAZORPAY:
        settlement = settlement_settle_now(merchant=merchant)
        settled = (
            merchant.sandbox_objects.filter(entity="recon_item", parent_id=settlement.object_id).count()
            if settlement
            else 0
        )
        return {
            "provider": "razorpay",
            "settled": settled,
            "settlement": settlement.body if settlement else None,
        }
    rows = paytm_settlements_settle_now(merchant=merchant)
    first = rows[0].body if rows else {}
    return {
        "provider": "paytm",
        "settled": len(rows),
        "payoutDate": first.get("payoutDate"),
        "utr": first.get("utr"),
    }
