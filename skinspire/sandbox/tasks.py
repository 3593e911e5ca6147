from celery import shared_task

from skinspire.sandbox import delivery


@shared_task
def sandbox_webhook_send(delivery_id: int, resend: bool = False) -> None:
    delivery.webhook_send(delivery_id=delivery_id, resend=resend)


@shared_task
def sandbox_webhook_retry_due() -> None:
    delivery.webhook_retry_due()


# Celery's autodiscovery finds only this module; the protocol subpackages' tasks register here.
from skinspire.sandbox.paytm.tasks import *  # noqa: E402,F403
from skinspire.sandbox.razorpay.tasks import *  # noqa: E402,F403
