"""RazorpayX payouts: contacts, fund accounts, payouts (reference §2); links in payout_links.py.

The SDK has no resources for these, so they go through the same client's authenticated
`post`/`get` (reference §7.3), which keeps auth, User-Agent, our session and the log.
"""

import re
from typing import Any

from skinspire.core.money import rupees_to_paise
from skinspire.gateways.errors import GatewayNotFoundError, InvalidGatewayRequestError
from skinspire.gateways.providers.interface import (
    BankAccount,
    ContactRequest,
    ContactResult,
    Destination,
    FundAccountRequest,
    FundAccountResult,
    PayoutMode,
    PayoutRequest,
    PayoutResult,
    UpiAddress,
)
from skinspire.gateways.providers.razorpay.client import RazorpayBase
from skinspire.gateways.providers.razorpay.errors import PROVIDER
from skinspire.gateways.providers.razorpay.mapping import payout_result

NARRATION_UNSAFE = re.compile(r"[^A-Za-z0-9 ]")


def narration(text: str) -> str:
    """Bank-statement text: at most 30 characters of letters, digits and spaces (§2.3)."""
    return " ".join(NARRATION_UNSAFE.sub("", text).split())[:30].strip()


def contact_body(contact: ContactRequest) -> dict[str, Any]:
    body = {
        "name": contact.name[:50],
        "type": contact.contact_type,
        "reference_id": contact.reference_id[:40],
    }
    if contact.email:
        body["email"] = contact.email
    if contact.phone:
        body["contact"] = contact.phone
    return body


def destination_body(destination: Destination) -> dict[str, Any]:
    if isinstance(destination, UpiAddress):
        return {"account_type": "vpa", "vpa": {"address": destination.vpa}}
    return {
        "account_type": "bank_account",
        "bank_account": {
            "name": destination.holder_name,
            "ifsc": destination.ifsc,
            "account_number": destination.account_number,
        },
    }


def check_mode(request: PayoutRequest) -> None:
    upi_mode = request.mode == PayoutMode.UPI
    if upi_mode and not isinstance(request.destination, UpiAddress):
        raise InvalidGatewayRequestError(
            "A UPI payout needs a UPI id as its destination.", provider=PROVIDER, code="mode"
        )
    if not upi_mode and not isinstance(request.destination, BankAccount):
        raise InvalidGatewayRequestError(
            f"A {request.mode.value.upper()} payout needs a bank account as its destination.",
            provider=PROVIDER,
            code="mode",
        )


def payout_body(request: PayoutRequest, *, account_number: str) -> dict[str, Any]:
    check_mode(request)
    body: dict[str, Any] = {
        "account_number": account_number,
        "amount": rupees_to_paise(request.amount),
        "currency": "INR",
        "mode": request.mode.value.upper(),
        "purpose": request.purpose,
        # Wait for a top-up rather than fail when the balance is low; queued payouts can
        # still be cancelled.
        "queue_if_low_balance": True,
        "reference_id": request.reference_id[:40],
        "notes": dict(request.notes),
    }
    if narration(request.narration):
        body["narration"] = narration(request.narration)
    if request.fund_account_id:
        body["fund_account_id"] = request.fund_account_id
    else:
        # Composite payout: contact, fund account and payout in one idempotent call.
        body["fund_account"] = {
            **destination_body(request.destination),
            "contact": contact_body(request.beneficiary),
        }
    return body


class PayoutOperations(RazorpayBase):
    def create_contact(self, request: ContactRequest) -> ContactResult:
        answer = self.call(
            "create_contact",
            self.payout_client.post,
            "/v1/contacts",
            contact_body(request),
            object_ref=f"contact:{request.reference_id}",
        )
        return ContactResult(contact_id=answer["id"], raw=answer)

    def create_fund_account(self, request: FundAccountRequest) -> FundAccountResult:
        body = {"contact_id": request.contact_id, **destination_body(request.destination)}
        answer = self.call(
            "create_fund_account",
            self.payout_client.post,
            "/v1/fund_accounts",
            body,
            object_ref=f"contact:{request.contact_id}",
        )
        return FundAccountResult(fund_account_id=answer["id"], raw=answer)

    def create_payout(self, request: PayoutRequest) -> PayoutResult:
        body = payout_body(request, account_number=self.account_number())
        answer = self.call(
            "create_payout",
            self.payout_client.post,
            "/v1/payouts",
            body,
            headers={"X-Payout-Idempotency": request.idempotency_key},
            object_ref=f"payout:{request.reference_id}",
            idempotency_key=request.idempotency_key,
        )
        return payout_result(answer)

    def fetch_payout(self, *, gateway_payout_id: str = "", reference_id: str = "") -> PayoutResult:
        if gateway_payout_id:
            answer = self.call(
                "fetch_payout",
                self.payout_client.get,
                f"/v1/payouts/{gateway_payout_id}",
                {},
                object_ref=f"payout:{gateway_payout_id}",
            )
            return payout_result(answer)
        if not reference_id:
            raise InvalidGatewayRequestError("Give a payout id or a reference id.", provider=PROVIDER)
        return self._payout_by_reference(reference_id)

    def _payout_by_reference(self, reference_id: str) -> PayoutResult:
        # https://razorpay.com/docs/api/x/payouts/fetch-all/ — the documented way to find a
        # payout whose create call timed out (reference §2.4).
        params = {"account_number": self.account_number(), "reference_id": reference_id[:40], "count": 10}
        answer = self.call(
            "fetch_payout", self.payout_client.get, "/v1/payouts", params, object_ref=f"payout:{reference_id}"
        )
        items = answer.get("items") or []
        if not items:
            raise GatewayNotFoundError(
                f"Razorpay has no payout with reference id {reference_id}.",
                provider=PROVIDER,
                code="not_found",
            )
        return payout_result(max(items, key=lambda item: item.get("created_at") or 0))

    def cancel_payout(self, gateway_payout_id: str) -> PayoutResult:
        # Only a `queued` payout can be cancelled. The docs' sample uses POST (reference §2.5).
        answer = self.call(
            "cancel_payout",
            self.payout_client.post,
            f"/v1/payouts/{gateway_payout_id}/cancel",
            {},
            object_ref=f"payout:{gateway_payout_id}",
        )
        return payout_result(answer)
