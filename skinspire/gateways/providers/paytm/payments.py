"""Paytm PG collections: initiate a transaction, read its status, verify the callback.

The transaction status API is the authority on a payment (reference §2.3); the browser
callback only says which order to ask about, and is trusted only with a valid checksum.
"""

from typing import Any
from urllib.parse import urlencode

from skinspire.gateways.calllog import gateway_call
from skinspire.gateways.errors import GatewayAPIError, GatewayNotFoundError
from skinspire.gateways.providers.interface import (
    CheckoutVerification,
    OrderRequest,
    OrderResult,
    OrderStatus,
    PaymentResult,
    PaymentStatus,
)
from skinspire.gateways.providers.paytm import mapping, signing
from skinspire.gateways.providers.paytm.client import PROVIDER, PaytmClient

INITIATE = "/theia/api/v1/initiateTransaction"
SHOW_PAYMENT_PAGE = "/theia/api/v1/showPaymentPage"
ORDER_STATUS = "/v3/order/status"
# Codes Paytm uses for "system error, ask again" (reference §2.3, §5.3).
RETRY_CODES = {"501"}
UNKNOWN_ORDER_CODE = "334"  # "Invalid Order Id." (reference §2.3, legacy code table)


def order_create(*, client: PaytmClient, configuration, request: OrderRequest) -> OrderResult:
    order_id, value = request.receipt, mapping.rupees_text(request.amount)
    customer = request.customer
    user_info = {"custId": customer.customer_id or order_id}
    user_info.update(
        {key: text for key, text in (("email", customer.email), ("mobile", customer.phone)) if text}
    )
    if customer.name:
        user_info["firstName"] = customer.name
    body: dict[str, Any] = {
        "requestType": "Payment",
        "mid": client.mid,
        "websiteName": client.credentials.value("website") or "DEFAULT",
        "orderId": order_id,
        "txnAmount": {"value": value, "currency": "INR"},
        "userInfo": user_info,
    }
    if request.callback_url:
        body["callbackUrl"] = request.callback_url
    query = {"mid": client.mid, "orderId": order_id}
    with gateway_call(
        operation="create_order", provider=PROVIDER, configuration=configuration, object_ref=order_id
    ) as record:
        answer = client.pg(INITIATE, body, query=query)
        result_info = answer.get("resultInfo") or {}
        result_status = str(result_info.get("resultStatus") or "")
        if result_status != "S" or not answer.get("txnToken"):
            raise _pg_error(result_info, "Paytm would not start the payment", definite=result_status == "F")
        record.add_gateway_ids(order_id=order_id)
    base = client.credentials.base_url
    return OrderResult(
        gateway_order_id=order_id,
        amount=mapping.amount_or_zero(value),
        status=OrderStatus.CREATED,
        gateway_status=result_status,
        checkout={
            "mid": client.mid,
            "order_id": order_id,
            "txn_token": answer["txnToken"],
            "amount": value,
            # Show Payment Page: the browser POSTs mid, orderId and txnToken to this URL;
            # Paytm's page then POSTs the signed result to callbackUrl
            # (https://paytmpayments.com/docs/show-payment-page).
            "checkout_url": f"{base}{SHOW_PAYMENT_PAGE}?{urlencode(query)}",
            "checkout_fields": {"mid": client.mid, "orderId": order_id, "txnToken": answer["txnToken"]},
        },
        raw=answer,
    )


def order_find(*, client: PaytmClient, configuration, order_id: str) -> OrderResult:
    """The order initiateTransaction made, for when its answer was lost. Our receipt is
    Paytm's orderId, so the Transaction Status API is asked about it: "Invalid Order Id"
    (334) means Paytm never had it; any other answer about our order means it exists."""
    with gateway_call(
        operation="find_order", provider=PROVIDER, configuration=configuration, object_ref=order_id
    ) as record:
        answer = client.pg(ORDER_STATUS, {"mid": client.mid, "orderId": order_id})
        result_info = answer.get("resultInfo") or {}
        code = str(result_info.get("resultCode") or "")
        if code in RETRY_CODES:
            raise _pg_error(result_info, "Paytm could not say whether the order exists", definite=False)
        if code == UNKNOWN_ORDER_CODE:
            raise _no_payment(order_id, result_info)
        record.add_gateway_ids(order_id=order_id)
    return OrderResult(
        gateway_order_id=order_id,
        amount=mapping.amount_or_zero(answer.get("txnAmount")),
        status=OrderStatus.CREATED,
        gateway_status=str(result_info.get("resultStatus") or ""),
        raw=answer,
    )


def payment_fetch(*, client: PaytmClient, configuration, order_id: str) -> PaymentResult:
    with gateway_call(
        operation="fetch_payment", provider=PROVIDER, configuration=configuration, object_ref=order_id
    ) as record:
        answer = client.pg(ORDER_STATUS, {"mid": client.mid, "orderId": order_id})
        result_info = answer.get("resultInfo") or {}
        if str(result_info.get("resultCode") or "") in RETRY_CODES and not answer.get("txnId"):
            raise _pg_error(result_info, "Paytm could not say how the payment stands", definite=False)
        if str(answer.get("orderId") or order_id) != order_id:
            # Reference §2.3: compare the echoed order with ours before believing it.
            raise GatewayAPIError(
                "Paytm answered about a different order.",
                provider=PROVIDER,
                code="order_mismatch",
                provably_failed=False,
            )
        record.add_gateway_ids(order_id=order_id, txn_id=str(answer.get("txnId") or ""))
    return payment_result(answer, order_id=order_id)


def payment_result(answer: dict[str, Any], *, order_id: str) -> PaymentResult:
    """A Transaction Status answer as our PaymentResult; no transaction yet is not found."""
    result_info = answer.get("resultInfo") or {}
    word = str(result_info.get("resultStatus") or "")
    status = mapping.payment_status(word)
    code = str(result_info.get("resultCode") or "")
    if not answer.get("txnId") and (code == UNKNOWN_ORDER_CODE or status == PaymentStatus.PENDING):
        raise _no_payment(order_id, result_info)
    amount = mapping.amount_or_zero(answer.get("txnAmount"))
    refunded = mapping.amount_or_zero(answer.get("refundAmt"))
    if status == PaymentStatus.CAPTURED and amount > 0 and refunded >= amount:
        # Paytm keeps TXN_SUCCESS after a full refund; Razorpay says "refunded", and so do we.
        status = PaymentStatus.REFUNDED
    return PaymentResult(
        gateway_payment_id=str(answer.get("txnId") or ""),
        gateway_order_id=order_id,
        status=status,
        gateway_status=word,
        amount=amount,
        method=str(answer.get("paymentMode") or ""),
        amount_refunded=refunded,
        **mapping.failure(
            failed=status == PaymentStatus.FAILED, code=code, message=result_info.get("resultMsg")
        ),
        raw=answer,
    )


def checkout_verify(*, client: PaytmClient, verification: CheckoutVerification) -> bool:
    """True when Paytm's callback form is signed by this merchant and is about our order.

    A form without CHECKSUMHASH (merchants may not have opted in, reference §2.6) is
    not verified: the caller must then ask fetch_payment.
    """
    fields = {str(key): str(value) for key, value in (verification.extra or {}).items()}
    checksum = fields.get("CHECKSUMHASH") or verification.signature
    if not checksum or fields.get("ORDERID") != verification.gateway_order_id:
        return False
    if verification.gateway_payment_id and fields.get("TXNID") != verification.gateway_payment_id:
        return False
    return signing.verify_fields(fields, merchant_key=client.merchant_key, checksum=checksum)


def _no_payment(order_id: str, result_info: dict[str, Any]) -> GatewayNotFoundError:
    """No transaction to describe: Paytm has no such order, or nobody has paid it yet (as
    Razorpay's "no payment against this order yet")."""
    unknown = str(result_info.get("resultCode") or "") == UNKNOWN_ORDER_CODE
    return GatewayNotFoundError(
        f"Paytm has no order {order_id}."
        if unknown
        else f"No payment has been made against Paytm order {order_id} yet.",
        provider=PROVIDER,
        code="not_found",
        gateway_message=str(result_info.get("resultMsg") or ""),
    )


def _pg_error(result_info: dict[str, Any], summary: str, *, definite: bool) -> GatewayAPIError:
    message = str(result_info.get("resultMsg") or result_info.get("resultMessage") or "")
    return GatewayAPIError(
        f"{summary}: {message}" if message else f"{summary}.",
        provider=PROVIDER,
        code=str(result_info.get("resultCode") or ""),
        gateway_message=message,
        retryable=not definite,
        provably_failed=definite,
    )
