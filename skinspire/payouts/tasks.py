"""Payout tasks: each takes an id and calls a service (enqueued with transaction.on_commit)."""

from celery import shared_task

from skinspire.payouts.models import AccountValidation
from skinspire.payouts.services.validation import VALIDATION_POLL_SECONDS, supplier_account_validation_refresh

VALIDATION_POLL_ATTEMPTS = 20


@shared_task(bind=True, max_retries=VALIDATION_POLL_ATTEMPTS)
def supplier_account_validation_refresh_task(self, account_id: int) -> str:
    account = supplier_account_validation_refresh(account_id=account_id)
    if account.validation_status == AccountValidation.PENDING and not self.request.is_eager:
        raise self.retry(countdown=VALIDATION_POLL_SECONDS)
    return account.validation_status


@shared_task
def supplier_payment_dispatch_task(payment_id: int) -> str:
    from skinspire.payouts.services.submission import supplier_payment_dispatch

    return supplier_payment_dispatch(payment_id=payment_id).status


@shared_task
def supplier_payment_status_sync_task(payment_id: int) -> str:
    from skinspire.payouts.services.submission import supplier_payment_status_sync

    return supplier_payment_status_sync(payment_id=payment_id).status


STALE_AFTER_SECONDS = 300  # Razorpay: look a timed-out payout up 5 minutes after creation (reference §2.4)


@shared_task
def supplier_payments_resolve_stale_task() -> dict[str, int]:
    from datetime import timedelta

    from django.utils import timezone

    from skinspire.payouts.services.submission import supplier_payments_resolve_stale

    return supplier_payments_resolve_stale(older_than=timezone.now() - timedelta(seconds=STALE_AFTER_SECONDS))
