"""Razorpay refunds (reference §3.3)."""

import re
from typing import Any

from skinspire.core.money import rupees_to_paise
from skinspire.gateways.errors import GatewayNotFoundError, InvalidGatewayRequestError
from skinspire.gateways.providers.interface import RefundRequest, RefundResult
from skinspire.gateways.providers.razorpay.client import RazorpayBase
from skinspire.gateways.providers.razorpay.errors import PROVIDER
from skinspire.gateways.providers.razorpay.mapping import refund_result

IDEMPOTENCY_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def refund_idempotency_key(refund_reference: str) -> str:
    """X-Refund-Idempotency wants >= 10 characters of [A-Za-z0-9_-]; derived deterministically
    from our reference so a retry of the same refund always sends the same key."""
    key = IDEMPOTENCY_UNSAFE.sub("_", refund_reference)
    return key if len(key) >= 10 else f"refund_{key}".ljust(10, "_")


class RefundOperations(RazorpayBase):
    def create_refund(self, request: RefundRequest) -> RefundResult:
        body: dict[str, Any] = {
            "speed": "normal",
            "receipt": request.refund_reference[:40],
            "notes": dict(request.notes),
        }
        if request.amount is not None:
            body["amount"] = rupees_to_paise(request.amount)
        key = refund_idempotency_key(request.refund_reference)
        answer = self.call(
            "create_refund",
            self.client.payment.refund,
            request.gateway_payment_id,
            body,
            headers={"X-Refund-Idempotency": key},
            object_ref=f"refund:{request.refund_reference}",
            idempotency_key=key,
        )
        return refund_result(answer)

    def fetch_refund(
        self, *, gateway_refund_id: str = "", refund_reference: str = "", gateway_order_id: str = ""
    ) -> RefundResult:
        if gateway_refund_id:
            answer = self.call(
                "fetch_refund",
                self.client.refund.fetch,
                gateway_refund_id,
                {},
                object_ref=f"refund:{gateway_refund_id}",
            )
            return refund_result(answer)
        if not (refund_reference and gateway_order_id):
            raise InvalidGatewayRequestError(
                "Give a refund id, or our refund reference together with the order id.", provider=PROVIDER
            )
        return self._refund_by_reference(refund_reference, gateway_order_id)

    def _refund_by_reference(self, refund_reference: str, gateway_order_id: str) -> RefundResult:
        # GET /v1/refunds has no receipt filter, so walk the order's payments' refunds.
        receipt = refund_reference[:40]
        payments = self.call(
            "fetch_order_payments",
            self.client.order.payments,
            gateway_order_id,
            {},
            object_ref=f"order:{gateway_order_id}",
        )
        for payment in payments.get("items") or []:
            refunds = self.call(
                "fetch_payment_refunds",
                self.client.payment.fetch_multiple_refund,
                payment["id"],
                {"count": 100},
                object_ref=f"refund:{refund_reference}",
            )
            for refund in refunds.get("items") or []:
                if refund.get("receipt") == receipt:
                    return refund_result(refund)
        raise GatewayNotFoundError(
            f"Razorpay has no refund {refund_reference} on order {gateway_order_id}.",
            provider=PROVIDER,
            code="not_found",
        )
