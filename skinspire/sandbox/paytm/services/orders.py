"""PG orders: Initiate Transaction, and the patient's payment on the hosted page."""

import re
from decimal import Decimal

from django.db import IntegrityError, transaction

from skinspire.core.money import MoneyError, to_rupees
from skinspire.sandbox.models import SandboxMerchant, SandboxObject
from skinspire.sandbox.paytm import ids, magic, selectors
from skinspire.sandbox.paytm.errors import PaytmRejected
from skinspire.sandbox.paytm.services import outbound, settlements

# Paytm: orderId ≤ 50, alphanumeric plus @ - _ . (reference §2.2).
ORDER_ID = re.compile(r"^[A-Za-z0-9@._-]{1,50}$")
INVALID_REQUEST = ("1001", "Request parameters are not valid")
DUPLICATE_ORDER = ("325", "Duplicate order id")

# What the patient's choice on the hosted page becomes in Paytm's fields.
METHODS = {
    "upi": {"PAYMENTMODE": "UPI", "GATEWAYNAME": "PPBLC", "BANKNAME": "Paytm Payments Bank"},
    "card": {"PAYMENTMODE": "DC", "GATEWAYNAME": "HDFC", "BANKNAME": "HDFC Bank"},
    "netbanking": {"PAYMENTMODE": "NB", "GATEWAYNAME": "SBI", "BANKNAME": "State Bank of India"},
}
OUTCOMES = {
    "TXN_SUCCESS": ("01", "Txn Success"),
    "TXN_FAILURE": (
        "227",
        "Your payment has been declined by your bank. Please try again or use a different method "
        "to complete the payment.",
    ),
    "PENDING": (
        "402",
        "Looks like the payment is not complete. Please wait while we confirm the status with your bank.",
    ),
}
NOT_PAID = ("PENDING", "400", "Transaction status not confirmed yet.")
CARD_MODES = {"CC", "DC"}  # the modes whose status carries the issuer's authRefId


def _amount(value) -> Decimal:
    try:
        amount = to_rupees(value) if isinstance(value, str) else None
    except MoneyError:
        amount = None
    if amount is None or amount <= 0:
        raise PaytmRejected(*INVALID_REQUEST)
    return amount


def _validate_initiate(*, body: dict, query_mid: str, query_order_id: str) -> Decimal:
    if query_mid and query_mid != body.get("mid"):
        raise PaytmRejected("2013", "Mid in the query param doesn't match with the Mid sent in the request")
    if query_order_id and query_order_id != body.get("orderId"):
        raise PaytmRejected(
            "2014", "OrderId in the query param doesn't match with the OrderId sent in the request"
        )
    order_id, txn_amount = body.get("orderId"), body.get("txnAmount")
    user_info = body.get("userInfo")
    user_info = user_info if isinstance(user_info, dict) else {}
    if body.get("requestType") != "Payment" or not isinstance(order_id, str) or not ORDER_ID.match(order_id):
        raise PaytmRejected(*INVALID_REQUEST)
    if (
        not isinstance(txn_amount, dict)
        or txn_amount.get("currency", "INR") != "INR"
        or not user_info.get("custId")
    ):
        raise PaytmRejected(*INVALID_REQUEST)
    return _amount(txn_amount.get("value"))


def order_body(*, merchant: SandboxMerchant, order_id: str, amount: Decimal, sandbox: dict) -> dict:
    """The order as the Transaction Status API shows it before any payment."""
    status, code, message = NOT_PAID
    return {
        "resultInfo": {"resultStatus": status, "resultCode": code, "resultMsg": message},
        "txnId": "",
        "bankTxnId": "",
        "orderId": order_id,
        "txnAmount": f"{amount:.2f}",
        "txnType": "SALE",
        "gatewayName": "",
        "bankName": "",
        "mid": merchant.key_id,
        "paymentMode": "",
        "refundAmt": "0.00",
        "txnDate": "",
        "_sandbox": {"tokenUsed": False, **sandbox},
    }


def paytm_order_initiate(
    *, merchant: SandboxMerchant, body: dict, query_mid: str = "", query_order_id: str = ""
) -> SandboxObject:
    """Initiate Transaction: record the order and hand out its single-use txnToken."""
    amount = _validate_initiate(body=body, query_mid=query_mid, query_order_id=query_order_id)
    extend_info = body.get("extendInfo")
    extend_info = extend_info if isinstance(extend_info, dict) else {}
    sandbox = {
        "txnToken": ids.txn_token(),
        "callbackUrl": str(body.get("callbackUrl") or ""),
        "websiteName": str(body.get("websiteName") or ""),
        "custId": str(body["userInfo"]["custId"]),
        "mercUnqRef": str(extend_info.get("mercUnqRef") or ""),
    }
    return order_create(merchant=merchant, order_id=body["orderId"], amount=amount, sandbox=sandbox)


def order_create(
    *, merchant: SandboxMerchant, order_id: str, amount: Decimal, sandbox: dict, parent_id: str = ""
):
    if selectors.object_by_key(merchant=merchant, entity=selectors.ORDER, key=order_id):
        raise PaytmRejected(*DUPLICATE_ORDER)
    try:
        with transaction.atomic():
            return SandboxObject.objects.create(
                merchant=merchant,
                entity=selectors.ORDER,
                object_id=f"ord_{ids.txn_token()[:24]}",
                parent_id=parent_id,
                status="CREATED",
                idempotency_key=order_id,
                body=order_body(merchant=merchant, order_id=order_id, amount=amount, sandbox=sandbox),
            )
    except IntegrityError as error:  # a concurrent duplicate lost the race on the unique key
        raise PaytmRejected(*DUPLICATE_ORDER) from error


def _outcome(*, amount: Decimal, succeed: bool) -> str:
    if not succeed:
        return "TXN_FAILURE"
    return "PENDING" if amount == magic.ORDER_PENDING_AMOUNT else "TXN_SUCCESS"


def paytm_order_pay(*, order_id: int, method: str, succeed: bool, notify: bool = True) -> dict[str, str]:
    """The patient paid (or failed to) on the hosted page: record the txn, settle, notify.

    Returns the callback fields (without CHECKSUMHASH). `notify=False` leaves the S2S
    webhook to the caller (payment links send their own, richer one).
    """
    if method not in METHODS:
        raise PaytmRejected(*INVALID_REQUEST)
    with transaction.atomic():
        order = SandboxObject.objects.select_for_update().get(pk=order_id)
        if order.status != "CREATED":
            raise PaytmRejected("343", "Invalid Token")  # the txnToken is single-use
        amount = Decimal(order.body["txnAmount"])
        status = _outcome(amount=amount, succeed=succeed)
        fields = _txn_fields(order=order, method=method, status=status)
        _record_txn(order=order, fields=fields)
        if status == "TXN_SUCCESS":
            settlements.paytm_settlement_row_record(
                merchant=order.merchant, order=order, txn_id=fields["TXNID"], txn_type="SALE", amount=amount
            )
        if notify and status != "PENDING":  # Paytm's webhook fires at terminal states only
            outbound.payment_webhook(merchant=order.merchant, fields=fields)
    return fields


def _txn_fields(*, order: SandboxObject, method: str, status: str) -> dict[str, str]:
    code, message = OUTCOMES[status]
    fields = {
        "ORDERID": order.body["orderId"],
        "MID": order.merchant.key_id,
        "TXNID": ids.paytm_txn_id(),
        "TXNAMOUNT": order.body["txnAmount"],
        **METHODS[method],
        "CURRENCY": "INR",
        "TXNDATE": ids.txn_datetime(),
        "STATUS": status,
        "RESPCODE": code,
        "RESPMSG": message,
        "BANKTXNID": ids.bank_txn_id() if status == "TXN_SUCCESS" else "",
    }
    if order.body["_sandbox"].get("mercUnqRef"):
        fields["MERC_UNQ_REF"] = order.body["_sandbox"]["mercUnqRef"]
    return fields


def _record_txn(*, order: SandboxObject, fields: dict[str, str]) -> None:
    SandboxObject.objects.create(
        merchant=order.merchant,
        entity=selectors.TXN,
        object_id=fields["TXNID"],
        parent_id=order.object_id,
        status=fields["STATUS"],
        body=fields,
    )
    order.status = fields["STATUS"]
    order.body.update(
        resultInfo={
            "resultStatus": fields["STATUS"],
            "resultCode": fields["RESPCODE"],
            "resultMsg": fields["RESPMSG"],
        },
        txnId=fields["TXNID"],
        bankTxnId=fields["BANKTXNID"],
        gatewayName=fields["GATEWAYNAME"],
        bankName=fields["BANKNAME"],
        paymentMode=fields["PAYMENTMODE"],
        txnDate=fields["TXNDATE"],
    )
    if fields["PAYMENTMODE"] in CARD_MODES and fields["STATUS"] == "TXN_SUCCESS":
        # The card issuer's authorisation reference, 8 digits as in Paytm's sample
        # (pg_order_status_response_txn_success.json; reference §2.3).
        order.body["authRefId"] = ids.digits(8)
    order.body["_sandbox"]["tokenUsed"] = True
    order.save(update_fields=["status", "body", "updated_at"])
