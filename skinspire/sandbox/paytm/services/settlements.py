"""T+1 settlement rows for the settlement list API (reference §4.1).

Fees (sandbox tariff): 2% of each collection, plus 18% GST on that fee; a refund is
settled as a deduction of its amount. Payout fees are flat and reported on the payout.

`paytm_settlements_settle_now` is the sandbox's own control (no Paytm API): rows still
waiting for their T+1 payout are paid out now, today, under a UTR of their own.
"""

import hashlib
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from skinspire.core.money import TWO_PLACES
from skinspire.sandbox.models import SandboxMerchant, SandboxObject
from skinspire.sandbox.paytm import ids, selectors

COLLECTION_FEE_RATE = Decimal("0.02")
GST_RATE = Decimal("0.18")
SETTLEMENT_HOUR = 10  # the sandbox settles at 10:00 IST on the next day


def collection_fee(amount: Decimal) -> tuple[Decimal, Decimal]:
    """(commission, gst) on a collection, each rounded to the paisa."""
    commission = (amount * COLLECTION_FEE_RATE).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    return commission, (commission * GST_RATE).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def settlement_utr(*, mid: str, payout_date: str, batch: str = "") -> str:
    """One UTR per merchant per settlement day, as one bank credit carries the whole day
    (`batch` tells apart an extra credit on the same day: a settle-now)."""
    key = f"{mid}|{payout_date}|{batch}" if batch else f"{mid}|{payout_date}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:10].upper()
    return f"SBXN{payout_date.replace('-', '')}{digest}"


def _deductions(*, txn_type: str, amount: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    """(commission, gst, settled amount): a sale pays the fee; a refund is deducted whole."""
    if txn_type == "SALE":
        commission, gst = collection_fee(amount)
        return commission, gst, amount - commission - gst
    return Decimal("0.00"), Decimal("0.00"), -amount


def paytm_settlement_row_record(
    *, merchant: SandboxMerchant, order: SandboxObject, txn_id: str, txn_type: str, amount: Decimal
) -> SandboxObject:
    """Record the row a collection (SALE) or refund (REFUND) appears as, settled T+1."""
    settled_at = ids.now_ist().replace(hour=SETTLEMENT_HOUR, minute=0, second=0, microsecond=0)
    settled_at += timedelta(days=1)
    payout_date = settled_at.strftime("%Y-%m-%d")
    commission, gst, settle_amount = _deductions(txn_type=txn_type, amount=amount)
    sandbox = order.body.get("_sandbox", {})
    body = {
        "txnId": txn_id,
        "txnType": txn_type,
        "txnDate": ids.txn_datetime(),
        "txnAmount": f"{amount:.2f}",
        "bankName": order.body.get("bankName", ""),
        "custId": sandbox.get("custId", ""),
        "paymentMode": order.body.get("paymentMode", ""),
        "mid": merchant.key_id,
        "merchantName": merchant.name,
        "orderId": order.body["orderId"],
        "mercUnqRefVal": sandbox.get("mercUnqRef", ""),
        "utrProcessedTime": settled_at.strftime("%Y-%m-%d %H:%M:%S"),
        "utr": settlement_utr(mid=merchant.key_id, payout_date=payout_date),
        "settleAmount": f"{settle_amount:.2f}",
        "payoutDate": payout_date,
        "gst": f"{gst:.2f}",
        "commission": f"{commission:.2f}",
    }
    return SandboxObject.objects.create(
        merchant=merchant,
        entity=selectors.SETTLEMENT_ROW,
        object_id=f"stl_{txn_id}",
        parent_id=order.object_id,
        status="SETTLED",
        body=body,
    )


def paytm_settlements_settle_now(*, merchant: SandboxMerchant) -> list[SandboxObject]:
    """Pay out now every row whose T+1 payout time has not come; returns those rows."""
    now = ids.now_ist()
    now_text, payout_date = now.strftime("%Y-%m-%d %H:%M:%S"), now.strftime("%Y-%m-%d")
    utr = settlement_utr(mid=merchant.key_id, payout_date=payout_date, batch=now.strftime("%H%M%S%f"))
    with transaction.atomic():
        rows = SandboxObject.objects.select_for_update().filter(
            merchant=merchant, entity=selectors.SETTLEMENT_ROW
        )
        # "YYYY-MM-DD HH:MM:SS" (IST) texts order as the times they name.
        due = [row for row in rows.order_by("created_at", "id") if row.body["utrProcessedTime"] > now_text]
        for row in due:
            row.body.update(utrProcessedTime=now_text, payoutDate=payout_date, utr=utr)
            row.save(update_fields=["body", "updated_at"])
    return due
