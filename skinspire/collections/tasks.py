import smtplib

from celery import shared_task

from skinspire.collections.services.receipts import patient_payment_receipt_send


# A mail server that is down or refuses for a while must not lose the receipt: tried again
# with backoff (30 s doubling to 30 min, about 2 hours in all). The send is idempotent
# (receipt_sent_at, under the payment's row lock), so a retry never sends it twice.
@shared_task(
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=1800,
    retry_jitter=True,
    max_retries=8,
)
def patient_payment_receipt_send_task(payment_id: int) -> None:
    patient_payment_receipt_send(payment_id=payment_id)


@shared_task
def patient_refunds_counter_unconfirmed() -> list[int]:
    """Counter refunds a stopped request left pending, failed with a reason (schedules.py)."""
    # Imported here: the refund services import the payment services, which import this module.
    from skinspire.collections.services.counter_refunds import patient_refunds_counter_unconfirmed_fail

    return patient_refunds_counter_unconfirmed_fail()


@shared_task
def patient_refunds_unsent() -> dict[str, int]:
    """Gateway refunds left without the gateway's id: found by our reference, or sent again
    under it (schedules.py)."""
    from skinspire.collections.services.gateway_refunds_unsent import patient_refunds_unsent_resolve

    return patient_refunds_unsent_resolve()


@shared_task
def patient_refunds_overdue() -> dict[str, int]:
    """Gateway refunds pending past the gateway's bound: marked for a person, and asked about
    less often (schedules.py)."""
    from skinspire.collections.services.gateway_refunds_overdue import patient_refunds_overdue_watch

    return patient_refunds_overdue_watch()


@shared_task
def bill_links_beyond_open_cancel_task(bill_id: int) -> list[str]:
    """A payment left a bill with less open than its open links ask for: those beyond it are
    cancelled at the gateway (services/paid_bills.py)."""
    from skinspire.collections.services.paid_bills import bill_links_beyond_open_cancel

    return bill_links_beyond_open_cancel(bill_id=bill_id)


@shared_task
def bill_paid_links_cancel_task(bill_id: int) -> list[str]:
    """The name this task had before part payments cancelled links too: kept so that tasks
    queued under it before a deploy still run."""
    return bill_links_beyond_open_cancel_task(bill_id)
