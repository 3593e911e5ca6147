from celery import shared_task

from skinspire.collections.services.receipts import patient_payment_receipt_send


@shared_task
def patient_payment_receipt_send_task(payment_id: int) -> None:
    patient_payment_receipt_send(payment_id=payment_id)
