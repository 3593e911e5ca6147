"""A payout link follows the payout its recipient's claim made (reference §2.9,
https://razorpay.com/docs/x/payout-links/life-cycle/): the payout processed makes the link
`processed`; the payout failed or reversed puts the link back to `issued` with a
`payout_link.attempted` event, so the recipient can claim it again with other details.

Kept apart from payout_link_claims so the payout lifecycle can call it without an import
cycle (claims start payouts; payouts report back here)."""

from skinspire.sandbox.models import SandboxObject
from skinspire.sandbox.razorpay.events import event_emit
from skinspire.sandbox.razorpay.services.common import now_unix
from skinspire.sandbox.services import sandbox_object_save

LINK_AFTER_PAYOUT = {"processed": ("processed", "payout_link.processed"),
                     "failed": ("issued", "payout_link.attempted"),
                     "reversed": ("issued", "payout_link.attempted")}  # fmt: skip


def payout_link_follow_payout(*, payout: SandboxObject) -> None:
    """Called inside the payout's transaction after each of its moves."""
    link_id = payout.meta.get("payout_link_id")
    follow = LINK_AFTER_PAYOUT.get(payout.body["status"])
    if not link_id or follow is None:
        return
    link = SandboxObject.objects.select_for_update().get(entity="payout_link", object_id=link_id)
    if link.body.get("payout_id") != payout.object_id:
        return  # an older attempt's payout: the link has moved on to another one
    status, event = follow
    link.body.update(status=status, updated_at=now_unix())
    sandbox_object_save(sandbox_object=link)
    event_emit(
        merchant=link.merchant,
        event=event,
        entities={"payout_link": link.body},
        object_id=link.object_id,
    )
