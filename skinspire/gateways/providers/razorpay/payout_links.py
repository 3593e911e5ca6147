"""RazorpayX payout links (reference §2.9): create, fetch, cancel.

https://razorpay.com/docs/api/x/payout-links/ — the SDK has no resource for them, so they
go through the client's authenticated `post`/`get` like the other RazorpayX calls. The
API has no call to re-send a link's SMS or e-mail (https://razorpay.com/docs/x/payout-links/faqs/:
"can be resent only from the RazorpayX Dashboard"), so there is no adapter method for it.
"""

from datetime import datetime
from typing import Any

from skinspire.core.money import rupees_to_paise
from skinspire.gateways.errors import GatewayNotFoundError, InvalidGatewayRequestError
from skinspire.gateways.providers.interface import PayoutLinkRequest, PayoutLinkResult, PayoutLinkStatus
from skinspire.gateways.providers.razorpay.client import RazorpayBase
from skinspire.gateways.providers.razorpay.errors import PROVIDER
from skinspire.gateways.providers.razorpay.mapping import from_unix, rupees
from skinspire.gateways.providers.razorpay.payouts import contact_body

# An unknown word is read as still issued, so the status sync asks again later.
LINK_STATUSES = {status.value: status for status in PayoutLinkStatus}


def payout_link_result(data: dict[str, Any]) -> PayoutLinkResult:
    gateway_status = str(data.get("status") or "")
    return PayoutLinkResult(
        gateway_link_id=data["id"],
        url=data.get("short_url") or "",
        status=LINK_STATUSES.get(gateway_status, PayoutLinkStatus.ISSUED),
        gateway_status=gateway_status,
        amount=rupees(data.get("amount")),
        reference_id=data.get("receipt") or "",
        gateway_payout_id=data.get("payout_id") or "",
        attempt_count=int(data.get("attempt_count") or 0),
        expires_at=from_unix(data.get("expire_by")),
        said_at=_latest_time(data),
        raw=data,
    )


def _latest_time(data: dict[str, Any]) -> datetime | None:
    """The latest moment the link records (reference §2.9): a cancelled or expired link says
    when; otherwise only its creation is known."""
    moments = [from_unix(data.get(name)) for name in ("created_at", "cancelled_at", "expired_at")]
    return max((moment for moment in moments if moment is not None), default=None)


def payout_link_body(request: PayoutLinkRequest, *, account_number: str) -> dict[str, Any]:
    # Contact details, not a contact id: the link names the person it is for; Razorpay
    # creates (or reuses) the contact. reference_id is a contact field the link body lacks.
    contact = {key: value for key, value in contact_body(request.contact).items() if key != "reference_id"}
    body: dict[str, Any] = {
        "account_number": account_number,
        "contact": contact,
        "amount": rupees_to_paise(request.amount),
        "currency": "INR",
        "purpose": request.purpose,
        "description": request.description[:255],
        "receipt": request.reference_id[:40],
        "send_sms": request.send_sms,
        "send_email": request.send_email,
        "notes": dict(request.notes),
    }
    if request.expire_by:
        # Only with the expiry feature enabled on the account; at least 15 minutes ahead.
        body["expire_by"] = int(request.expire_by.timestamp())
    return body


class PayoutLinkOperations(RazorpayBase):
    def create_payout_link(self, request: PayoutLinkRequest) -> PayoutLinkResult:
        answer = self.call(
            "create_payout_link",
            self.payout_client.post,
            "/v1/payout-links",
            payout_link_body(request, account_number=self.account_number()),
            object_ref=f"payout_link:{request.reference_id}",
        )
        return payout_link_result(answer)

    def fetch_payout_link(self, gateway_link_id: str = "", *, reference_id: str = "") -> PayoutLinkResult:
        if gateway_link_id:
            answer = self.call(
                "fetch_payout_link",
                self.payout_client.get,
                f"/v1/payout-links/{gateway_link_id}",
                {},
                object_ref=f"payout_link:{gateway_link_id}",
            )
            return payout_link_result(answer)
        if not reference_id:
            raise InvalidGatewayRequestError("Give a payout link id or a reference id.", provider=PROVIDER)
        return self._link_by_receipt(reference_id)

    def _link_by_receipt(self, reference_id: str) -> PayoutLinkResult:
        # https://razorpay.com/docs/api/x/payout-links/fetch-all/ filters by receipt.
        params = {"receipt": reference_id[:40], "count": 10}
        answer = self.call(
            "fetch_payout_link",
            self.payout_client.get,
            "/v1/payout-links",
            params,
            object_ref=f"payout_link:{reference_id}",
        )
        items = answer.get("items") or []
        if not items:
            raise GatewayNotFoundError(
                f"Razorpay has no payout link with receipt {reference_id}.",
                provider=PROVIDER,
                code="not_found",
            )
        return payout_link_result(max(items, key=lambda item: item.get("created_at") or 0))

    def cancel_payout_link(self, gateway_link_id: str) -> PayoutLinkResult:
        # Only an `issued` link; POST per the request sample (reference §2.9).
        answer = self.call(
            "cancel_payout_link",
            self.payout_client.post,
            f"/v1/payout-links/{gateway_link_id}/cancel",
            {},
            object_ref=f"payout_link:{gateway_link_id}",
        )
        return payout_link_result(answer)
