"""Celery tasks of the razorpay sandbox (imported by skinspire.sandbox.tasks).

Each takes an id (or nothing) and calls a service; each is safe to run twice.
"""

from celery import shared_task
from django.utils import timezone

from skinspire.sandbox.razorpay.services import (
    links,
    payout_lifecycle,
    payout_link_claims,
    refunds,
    settlements,
    validations,
)


@shared_task
def sandbox_razorpay_payout_advance(payout_id: str) -> str:
    """One lifecycle step; if the payout moved, the next step is scheduled after commit."""
    payout, moved = payout_lifecycle.payout_advance(payout_id=payout_id)
    if moved:
        payout_lifecycle.payout_schedule_next(payout=payout)
    return payout.body["status"]


@shared_task
def sandbox_razorpay_refund_process(refund_id: str) -> str:
    return refunds.refund_process(refund_id=refund_id).body["status"]


@shared_task
def sandbox_razorpay_payment_links_expire() -> int:
    return links.payment_link_expire_due()


@shared_task
def sandbox_razorpay_payout_links_expire() -> int:
    return payout_link_claims.payout_links_expire_due()


@shared_task
def sandbox_razorpay_settlements_daily() -> int:
    """T+1: today's settlement takes what was captured (or refunded) yesterday."""
    return settlements.settlements_generate_all(settlement_date=timezone.localdate())


@shared_task
def sandbox_razorpay_fund_account_validation_complete(validation_id: str) -> str:
    return validations.fund_account_validation_complete(validation_id=validation_id).body["status"]
