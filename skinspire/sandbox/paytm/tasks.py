"""Celery tasks of the paytm sandbox (imported by skinspire.sandbox.tasks).

Each takes an id and calls a service; each is safe to run twice (a repeated step is a no-op).
"""

from celery import shared_task

from skinspire.sandbox.paytm.services import links, payouts, refunds

__all__ = ["sandbox_paytm_links_expire_due", "sandbox_paytm_payout_advance", "sandbox_paytm_refund_advance"]


@shared_task
def sandbox_paytm_payout_advance(object_id: str) -> None:
    payouts.paytm_payout_advance(object_id=object_id)


@shared_task
def sandbox_paytm_refund_advance(object_id: str) -> None:
    refunds.paytm_refund_advance(object_id=object_id)


@shared_task
def sandbox_paytm_links_expire_due() -> None:
    links.paytm_link_expire_due()
