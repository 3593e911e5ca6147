"""Payout webhooks applied to supplier payments: real signed sandbox webhooks, verified and
parsed by the adapter, then handed to supplier_payment_apply_event. Forward only."""

from decimal import Decimal

import pytest

from skinspire.core.tests.money_rows import rewind
from skinspire.gateways.providers.registry import provider_for
from skinspire.ledger.models import JournalEntry
from skinspire.payouts.models import SupplierPayment
from skinspire.payouts.services.approvals import supplier_payment_submit
from skinspire.payouts.services.events import supplier_payment_apply_event, supplier_payments_pending
from skinspire.payouts.services.payments import PaymentRequest, supplier_payment_create
from skinspire.payouts.services.submission import supplier_payment_dispatch
from skinspire.payouts.tests.factories import bank_account
from skinspire.payouts.tests.support import history, ledger_lines
from skinspire.sandbox.models import SandboxObject, SandboxWebhookDelivery
from skinspire.sandbox.razorpay.services.payout_lifecycle import payout_advance

pytestmark = pytest.mark.django_db


def approved_payout(supplier, maker, account_number="50100012345678", amount="2500.00"):
    request = PaymentRequest(
        supplier=supplier,
        account=bank_account(supplier, account_number=account_number),
        amount=amount,
        method="gateway_payout",
        mode="neft",
    )
    payment = supplier_payment_create(request=request, maker=maker)[0]
    supplier_payment_submit(payment=payment, actor=maker)  # below the threshold: approved
    return payment


def webhook(configuration, event_type):
    """The sandbox's signed delivery of `event_type`, verified and parsed like the inbox does."""
    delivery = SandboxWebhookDelivery.objects.filter(event_type=event_type).latest("id")
    provider = provider_for(configuration)
    body = delivery.body.encode()
    assert provider.verify_webhook(body=body, headers=delivery.headers)
    return provider.parse_webhook(body=body, headers=delivery.headers)


def advance_sandbox_payout():
    payout_advance(payout_id=SandboxObject.objects.get(entity="payout").object_id)


def test_processed_completes_once_and_repeats_or_late_events_are_ignored(
    configuration, chart, supplier, maker
):
    payment = approved_payout(supplier, maker)
    supplier_payment_dispatch(payment_id=payment.pk)
    advance_sandbox_payout()
    initiated, processed = (
        webhook(configuration, "payout.initiated"),
        webhook(configuration, "payout.processed"),
    )

    supplier_payment_apply_event(event=processed, configuration=configuration)
    supplier_payment_apply_event(event=processed, configuration=configuration)  # redelivered
    supplier_payment_apply_event(event=initiated, configuration=configuration)  # late

    payment.refresh_from_db()
    assert (payment.status, payment.utr, payment.fee) == ("completed", processed.utr, Decimal("5.90"))
    assert history(payment)[2:] == [
        ("submitted", "processing", "applied"),
        ("processing", "completed", "applied"),
        ("completed", "completed", "ignored"),
        ("completed", "processing", "ignored"),
    ]
    assert JournalEntry.objects.filter(source_id=str(payment.pk)).count() == 1
    assert sorted(line[1:] for line in ledger_lines(payment))[0] == ("1100", "0.00", "2500.00")


def test_a_webhook_before_the_api_answer_was_saved_completes_it_once(configuration, chart, supplier, maker):
    payment = approved_payout(supplier, maker)
    supplier_payment_dispatch(payment_id=payment.pk)
    advance_sandbox_payout()
    processed = webhook(configuration, "payout.processed")
    # As if the worker had sent the request but not yet saved the answer.
    rewind(SupplierPayment, payment.pk, status="submitted", gateway_payout_id="")

    supplier_payment_apply_event(event=processed, configuration=configuration)
    supplier_payment_dispatch(payment_id=payment.pk)  # a retried task finds it done

    payment.refresh_from_db()
    assert (payment.status, payment.gateway_payout_id) == ("completed", processed.object_id)
    assert JournalEntry.objects.filter(source_id=str(payment.pk)).count() == 1


def test_failed_event_fails_it_with_the_gateways_reason(configuration, chart, supplier, maker):
    payment = approved_payout(supplier, maker, account_number="50100012340000")
    supplier_payment_dispatch(payment_id=payment.pk)
    advance_sandbox_payout()

    supplier_payment_apply_event(event=webhook(configuration, "payout.failed"), configuration=configuration)

    payment.refresh_from_db()
    assert (payment.status, payment.failure_code) == ("failed", "beneficiary_bank_rejected")
    assert ledger_lines(payment) == []


def test_reversed_event_after_completion_posts_the_mirror(configuration, chart, supplier, maker):
    payment = approved_payout(supplier, maker, account_number="50100012349999")
    supplier_payment_dispatch(payment_id=payment.pk)
    advance_sandbox_payout()
    advance_sandbox_payout()

    supplier_payment_apply_event(
        event=webhook(configuration, "payout.processed"), configuration=configuration
    )
    supplier_payment_apply_event(event=webhook(configuration, "payout.reversed"), configuration=configuration)

    payment.refresh_from_db()
    assert payment.status == "reversed"
    assert [
        entry.event for entry in JournalEntry.objects.filter(source_id=str(payment.pk)).order_by("id")
    ] == [
        "payout.completed",
        "payout.completed.reversal",
    ]


def test_an_event_of_another_account_changes_nothing(configuration, chart, supplier, maker, hospital):
    from skinspire.gateways.tests.factories import GatewayConfigurationFactory

    payment = approved_payout(supplier, maker)
    supplier_payment_dispatch(payment_id=payment.pk)
    advance_sandbox_payout()
    other = GatewayConfigurationFactory(hospital=hospital)

    supplier_payment_apply_event(event=webhook(configuration, "payout.processed"), configuration=other)

    assert SupplierPayment.objects.get(pk=payment.pk).status == "processing"


def test_in_flight_payments_are_listed_for_the_status_sync(configuration, chart, supplier, maker):
    from datetime import timedelta

    payment = approved_payout(supplier, maker)
    supplier_payment_dispatch(payment_id=payment.pk)
    payment.refresh_from_db()

    assert list(supplier_payments_pending(older_than=timedelta(minutes=5))) == []
    [pending] = list(supplier_payments_pending(older_than=timedelta(seconds=-1)))
    assert (pending.configuration_id, pending.object_type, pending.gateway_id, pending.reference_id) == (
        configuration.pk,
        "payout",
        payment.gateway_payout_id,
        payment.reference,
    )


def test_the_gateways_payout_id_wins_over_our_reference(configuration, chart, supplier, maker):
    """Two lookups, the gateway's id first: an event naming one payment by its payout id and
    another by reference belongs to the first."""
    from skinspire.payouts.services.events import _payment_for

    named_by_reference = approved_payout(supplier, maker)
    supplier_payment_dispatch(payment_id=named_by_reference.pk)
    advance_sandbox_payout()
    processed = webhook(configuration, "payout.processed")
    named_by_id = approved_payout(supplier, maker, account_number="50100012341111")
    SupplierPayment.objects.filter(pk=named_by_reference.pk).update(gateway_payout_id="")
    SupplierPayment.objects.filter(pk=named_by_id.pk).update(
        configuration=configuration, gateway_payout_id=processed.object_id
    )

    assert processed.reference_id == named_by_reference.reference
    assert _payment_for(processed, configuration) == (named_by_id.pk, "gateway_payout")
    SupplierPayment.objects.filter(pk=named_by_id.pk).update(gateway_payout_id="other")
    assert _payment_for(processed, configuration) == (named_by_reference.pk, "gateway_payout")


def test_the_lookups_fixed_sql_names_the_models_table_and_columns():
    from skinspire.payouts.services import events

    meta = SupplierPayment._meta
    columns = [meta.pk.column] + [
        meta.get_field(name).column
        for name in ("method", "gateway_payout_id", "reference", "hospital", "configuration")
    ]
    assert columns == ["id", "method", "gateway_payout_id", "reference", "hospital_id", "configuration_id"]
    for sql in (events._BY_GATEWAY_ID, events._BY_REFERENCE):
        assert f"FROM {meta.db_table} " in sql
