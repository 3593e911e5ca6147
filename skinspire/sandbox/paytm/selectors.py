"""Reads of the Paytm sandbox's state."""

from skinspire.sandbox.models import SandboxMerchant, SandboxObject, SandboxProvider

ORDER, TXN, REFUND, LINK, PAYOUT, SETTLEMENT_ROW = (
    "paytm_order",
    "paytm_txn",
    "paytm_refund",
    "paytm_link",
    "paytm_payout",
    "paytm_settlement_row",
)


def merchant_by_mid(*, mid: str) -> SandboxMerchant | None:
    if not mid:
        return None
    return SandboxMerchant.objects.filter(provider=SandboxProvider.PAYTM, key_id=mid).first()


def object_by_key(*, merchant: SandboxMerchant, entity: str, key: str) -> SandboxObject | None:
    """The merchant's object of this kind by its own id (orderId, refId)."""
    if not key:
        return None
    return SandboxObject.objects.filter(merchant=merchant, entity=entity, idempotency_key=key).first()


def object_by_id(*, entity: str, object_id: str) -> SandboxObject | None:
    return SandboxObject.objects.filter(entity=entity, object_id=object_id).first()


def order_by_token(*, token: str) -> SandboxObject | None:
    if not token:
        return None
    return SandboxObject.objects.filter(entity=ORDER, body___sandbox__txnToken=token).first()


def objects_of(*, entity: str, parent_id: str):
    return SandboxObject.objects.filter(entity=entity, parent_id=parent_id).order_by("created_at", "id")


def public(body: dict) -> dict:
    """The body as Paytm returns it: the sandbox's own bookkeeping (`_sandbox`) removed."""
    return {key: value for key, value in body.items() if not key.startswith("_")}


def settlement_rows_between(*, merchant: SandboxMerchant, first_day: str, end_day: str) -> list[dict]:
    """Settlement rows whose payout date (`YYYY-MM-DD`) is in [first_day, end_day), oldest first."""
    rows = SandboxObject.objects.filter(merchant=merchant, entity=SETTLEMENT_ROW).order_by("created_at", "id")
    return [row.body for row in rows if first_day <= row.body["payoutDate"] < end_day]


def links_of(*, merchant: SandboxMerchant):
    return SandboxObject.objects.filter(merchant=merchant, entity=LINK).order_by("-created_at", "-id")


def link_orders(*, link: SandboxObject) -> list[dict]:
    """fetchTransaction's `orders`: one entry per payment attempt on the link."""
    orders = objects_of(entity=ORDER, parent_id=link.object_id).exclude(status="CREATED")
    return [
        {
            "orderId": order.body["orderId"],
            "txnId": order.body["txnId"],
            "txnAmount": order.body["txnAmount"],
            "orderStatus": order.status,
            "txnDate": order.body["txnDate"],
            "paymentMode": order.body["paymentMode"],
            "bankTxnId": order.body["bankTxnId"],
            "merchantUniqueReference": order.body["_sandbox"].get("mercUnqRef", ""),
        }
        for order in orders
    ]
