"""The recipient's side of a RazorpayX payout link: claiming it on the hosted page, and
links running out (https://razorpay.com/docs/x/payout-links/life-cycle/).

Claiming: the recipient enters a UPI id or a bank account on the link's page; the sandbox
makes the contact's fund account and a payout (UPI to a VPA, IMPS to a bank account) and
moves the link issued -> processing (payout_link.processing). The payout then runs the
ordinary payout lifecycle with its payout.* events, and payout_link_follow moves the link
to processed, or back to issued (payout_link.attempted) when the payout fails.

Expiry: an issued link past its `expire_by` is `expired` (payout_link.expired), checked on
every access and by the periodic task, like payment links.
"""

from dataclasses import dataclass

from django.db import transaction

from skinspire.sandbox.ids import object_id_new
from skinspire.sandbox.models import SandboxObject
from skinspire.sandbox.razorpay.errors import payout_invalid_field
from skinspire.sandbox.razorpay.events import event_emit
from skinspire.sandbox.razorpay.services import payout_lifecycle
from skinspire.sandbox.razorpay.services.common import now_unix
from skinspire.sandbox.razorpay.services.contacts import fund_account_create
from skinspire.sandbox.services import sandbox_object_create, sandbox_object_save

CLAIMABLE = "issued"
EXPIRING = ("pending", "issued")


@dataclass(frozen=True)
class Claim:
    """What the recipient typed: a UPI id, or a bank account (holder, IFSC, number)."""

    account_type: str  # "vpa" or "bank_account"
    vpa: str = ""
    holder_name: str = ""
    ifsc: str = ""
    account_number: str = ""

    def fund_account_details(self) -> dict:
        if self.account_type == "vpa":
            return {"account_type": "vpa", "vpa": {"address": self.vpa}}
        if self.account_type == "bank_account":
            bank = {
                "name": self.holder_name,
                "ifsc": self.ifsc.upper(),
                "account_number": self.account_number,
            }
            return {"account_type": "bank_account", "bank_account": bank}
        raise payout_invalid_field("Choose UPI or a bank account.", field="account_type")


def payout_link_expire_if_due(*, link: SandboxObject) -> SandboxObject:
    body = link.body
    if body["status"] not in EXPIRING or not body.get("expire_by") or body["expire_by"] > now_unix():
        return link
    with transaction.atomic():
        link = SandboxObject.objects.select_for_update().select_related("merchant").get(pk=link.pk)
        if link.body["status"] not in EXPIRING:
            return link
        link.body.update(status="expired", expired_at=now_unix())
        sandbox_object_save(sandbox_object=link)
        event_emit(
            merchant=link.merchant,
            event="payout_link.expired",
            entities={"payout_link": link.body},
            object_id=link.object_id,
        )
    return link


def payout_links_expire_due() -> int:
    expired = 0
    for link in SandboxObject.objects.select_related("merchant").filter(
        entity="payout_link", status__in=EXPIRING
    ):
        expired += payout_link_expire_if_due(link=link).body["status"] == "expired"
    return expired


def payout_link_claim(*, link_id: str, claim: Claim) -> SandboxObject:
    """The recipient's details -> fund account, payout, link processing. Raises
    RazorpayApiError (shown on the page) for bad details or a link that cannot be claimed."""
    link = SandboxObject.objects.select_related("merchant").get(entity="payout_link", object_id=link_id)
    payout_link_expire_if_due(link=link)
    with transaction.atomic():
        link = SandboxObject.objects.select_for_update().select_related("merchant").get(pk=link.pk)
        if link.body["status"] != CLAIMABLE:
            raise payout_invalid_field(
                f"This payout link is {link.body['status']} and cannot be claimed.", field=None
            )
        fund_account = fund_account_create(
            merchant=link.merchant,
            data={"contact_id": link.body["contact_id"], **claim.fund_account_details()},
        )
        payout = _payout_create(link=link, fund_account=fund_account)
        link.body.update(
            status="processing",
            fund_account_id=fund_account.object_id,
            payout_id=payout.object_id,
            attempt_count=link.body.get("attempt_count", 0) + 1,
        )
        sandbox_object_save(sandbox_object=link)
        event_emit(
            merchant=link.merchant,
            event="payout_link.processing",
            entities={"payout_link": link.body},
            object_id=link.object_id,
        )
        payout_lifecycle.payout_start(payout=payout)
        payout_lifecycle.payout_schedule_next(payout=payout)
    link.refresh_from_db()
    return link


def _payout_create(*, link: SandboxObject, fund_account: SandboxObject) -> SandboxObject:
    mode = "UPI" if fund_account.body["account_type"] == "vpa" else "IMPS"
    body = {
        "id": object_id_new(prefix="pout"),
        "entity": "payout",
        "fund_account_id": fund_account.object_id,
        "amount": link.body["amount"],
        "currency": link.body["currency"],
        "notes": link.body.get("notes") or {},
        "fees": 0,
        "tax": 0,
        "status": "queued",
        "purpose": link.body["purpose"],
        "utr": None,
        "mode": mode,
        # Razorpay does not document what a link's payout carries as reference_id; the
        # sandbox leaves it empty, so a merchant must match it by the link's payout_id.
        "reference_id": None,
        "narration": None,
        "batch_id": None,
        "failure_reason": None,
        "status_details": {"description": None, "source": None, "reason": None},
        "fee_type": "",
        "created_at": now_unix(),
    }
    return sandbox_object_create(
        merchant=link.merchant,
        entity="payout",
        body=body,
        parent_id=fund_account.object_id,
        meta={
            "queue_if_low_balance": False,
            "fund_account": fund_account.body,
            "payout_link_id": link.object_id,
        },
    )
