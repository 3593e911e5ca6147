"""The webhook and the create call's answer racing on PostgreSQL (real threads, row locks):
whichever lands first, the payment ends completed with one journal entry, and neither
waits for the other for ever."""

import threading

import pytest
from django.db import connection

from skinspire.core.tests.money_rows import rewind
from skinspire.gateways.providers.interface import PayoutStatus
from skinspire.gateways.providers.registry import provider_for
from skinspire.ledger.models import JournalEntry
from skinspire.ledger.services import chart_of_accounts_create
from skinspire.payouts.models import SupplierPayment
from skinspire.payouts.services.approvals import supplier_payment_submit
from skinspire.payouts.services.events import supplier_payment_apply_event
from skinspire.payouts.services.outcomes import PayoutOutcome, supplier_payment_apply_outcome
from skinspire.payouts.services.payments import PaymentRequest, supplier_payment_create
from skinspire.payouts.services.submission import supplier_payment_dispatch
from skinspire.payouts.tests.factories import bank_account
from skinspire.sandbox.models import SandboxObject, SandboxWebhookDelivery
from skinspire.sandbox.razorpay.services.payout_lifecycle import payout_advance

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_webhook_and_api_answer_race_to_one_completion(
    postgres_only, configuration, hospital, supplier, maker
):
    chart_of_accounts_create(hospital=hospital)
    request = PaymentRequest(
        supplier=supplier,
        account=bank_account(supplier),
        amount="640.00",
        method="gateway_payout",
        mode="imps",
    )
    payment = supplier_payment_create(request=request, maker=maker)[0]
    supplier_payment_submit(payment=payment, actor=maker)
    supplier_payment_dispatch(payment_id=payment.pk)
    gateway_payout = SandboxObject.objects.get(entity="payout")
    payout_advance(payout_id=gateway_payout.object_id)
    delivery = SandboxWebhookDelivery.objects.filter(event_type="payout.processed").latest("id")
    provider = provider_for(configuration)
    processed = provider.parse_webhook(body=delivery.body.encode(), headers=delivery.headers)
    # Back to the moment the request had left and nothing was saved yet.
    rewind(SupplierPayment, payment.pk, status="submitted", gateway_payout_id="", fee=None)
    answer = PayoutOutcome(status=PayoutStatus.PROCESSING, gateway_payout_id=gateway_payout.object_id)
    start, errors = threading.Barrier(2), []

    def run(action) -> None:
        try:
            start.wait(10)
            action()
        except Exception as error:  # noqa: BLE001 - a test thread reports whatever broke it
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(
            target=run,
            args=(lambda: supplier_payment_apply_event(event=processed, configuration=configuration),),
        ),
        threading.Thread(
            target=run,
            args=(
                lambda: supplier_payment_apply_outcome(
                    payment_id=payment.pk, outcome=answer, event_reference="api:race"
                ),
            ),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == [] and not any(thread.is_alive() for thread in threads)
    payment.refresh_from_db()
    assert (payment.status, payment.gateway_payout_id) == ("completed", gateway_payout.object_id)
    assert JournalEntry.objects.filter(source_id=str(payment.pk)).count() == 1
