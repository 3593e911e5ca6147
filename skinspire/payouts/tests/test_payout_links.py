"""Payout links through the sandbox's RazorpayX, in-process: issued after commit by the
dispatch task, claimed by the supplier on the sandbox's page, completed through the inbox
with the same completion path as a payout; failed claims, expiry, cancellation, duplicate
and late events, lost webhooks and a lost create answer."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from skinspire.core.errors import ConflictError
from skinspire.core.tests.money_rows import move_to, rewind
from skinspire.gateways.errors import GatewayTimeoutError
from skinspire.gateways.providers.interface import GatewayEvent
from skinspire.gateways.webhooks.models import WebhookEvent
from skinspire.gateways.webhooks.status_sync import status_sync_run
from skinspire.ledger.models import JournalEntry
from skinspire.payouts.models import SupplierInvoice, SupplierPayment
from skinspire.payouts.services.allocations import AllocationRequest
from skinspire.payouts.services.approvals import supplier_payment_cancel, supplier_payment_submit
from skinspire.payouts.services.events import supplier_payment_apply_event
from skinspire.payouts.services.payments import PaymentRequest, supplier_payment_create
from skinspire.payouts.services.payout_link_events import supplier_payout_link_apply_event
from skinspire.payouts.services.payout_links import supplier_payout_link_resend
from skinspire.payouts.services.submission import payment_call_failed, supplier_payment_status_sync
from skinspire.payouts.tests.factories import SupplierInvoiceFactory
from skinspire.payouts.tests.support import GatewayClock, history, inbox_deliver, ledger_lines
from skinspire.sandbox.models import SandboxObject, SandboxWebhookDelivery
from skinspire.sandbox.razorpay.services.payout_lifecycle import payout_advance
from skinspire.sandbox.razorpay.services.payout_link_claims import payout_links_expire_due

pytestmark = pytest.mark.django_db

INBOX = "http://sandbox.testserver/api/gateway/webhook/razorpay"
CLEARING = "1100"


@pytest.fixture
def inbox(merchant):
    merchant.webhook_url = INBOX
    merchant.save(update_fields=["webhook_url"])
    return merchant


@pytest.fixture
def invoice(supplier):
    return SupplierInvoiceFactory(supplier=supplier, number="INV-9", amount=Decimal("2500.00"))


def link_payment(supplier, maker, invoice=None, amount="2500.00") -> SupplierPayment:
    request = PaymentRequest(
        supplier=supplier,
        amount=amount,
        method="payout_link",
        mode="supplier_choice",
        invoices=[AllocationRequest(invoice.pk, Decimal(amount))] if invoice else [],
        link_expire_hours=48,
        link_send_email=True,
    )
    return supplier_payment_create(request=request, maker=maker)[0]


def issue(supplier, maker, run_tasks, invoice=None) -> SupplierPayment:
    payment = link_payment(supplier, maker, invoice)
    run_tasks(lambda: supplier_payment_submit(payment=payment, actor=maker))
    payment.refresh_from_db()
    return payment


def claim(run_tasks, payment, **details):
    page = payment.payout_link_url.removeprefix("http://sandbox.testserver")
    return run_tasks(lambda: Client().post(page, details or {"account_type": "vpa", "vpa": "acme@okhdfc"}))


def sandbox_link(payment) -> dict:
    return SandboxObject.objects.get(object_id=payment.payout_link_id).body


def test_the_link_is_issued_after_commit_with_our_reference(
    configuration, supplier, maker, invoice, run_tasks
):
    payment = issue(supplier, maker, run_tasks, invoice)

    assert (payment.status, payment.payout_link_status) == ("processing", "issued")
    assert payment.payout_link_id.startswith("poutlk_")
    assert payment.payout_link_url.endswith(f"/sandbox/razorpay/payout-links/{payment.payout_link_id}/")
    assert timedelta(hours=47) < payment.payout_link_expires_at - timezone.now() <= timedelta(hours=48)
    body = sandbox_link(payment)
    assert (body["receipt"], body["amount"], body["send_email"], body["send_sms"]) == (
        payment.reference,
        250000,
        True,
        False,
    )
    assert body["contact"]["email"] == supplier.email
    assert "INV-9" in body["description"]
    assert SupplierInvoice.objects.get(pk=invoice.pk).amount_allocated == Decimal("2500.00")
    assert not JournalEntry.objects.exists()


def test_claimed_on_the_gateway_page_the_payment_completes_through_the_inbox(
    configuration, inbox, chart, supplier, maker, invoice, run_tasks
):
    payment = issue(supplier, maker, run_tasks, invoice)

    claim(run_tasks, payment)

    payment.refresh_from_db()
    assert (payment.status, payment.payout_link_status) == ("completed", "processed")
    assert payment.utr and payment.gateway_payout_id == sandbox_link(payment)["payout_id"]
    assert (payment.fee, payment.tax) == (Decimal("5.90"), Decimal("0.90"))
    assert sorted(line[1:] for line in ledger_lines(payment)) == sorted([
        ("2000", "2500.00", "0.00"), (CLEARING, "0.00", "2500.00"),
        ("5000", "5.00", "0.00"), ("1300", "0.90", "0.00"), (CLEARING, "0.00", "5.90"),
    ])  # fmt: skip
    assert JournalEntry.objects.filter(source_id=str(payment.pk)).count() == 1
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid) == ("paid", Decimal("2500.00"))
    events = WebhookEvent.objects.order_by("id").values_list("event_type", "status")
    assert list(events) == [
        ("payout_link.issued", "processed"),
        ("payout_link.processing", "processed"),
        ("payout.initiated", "processed"),
        ("payout.processed", "processed"),
        ("payout_link.processed", "processed"),
    ]


def test_a_failed_claim_keeps_the_payment_open_and_a_second_claim_pays_once(
    configuration, inbox, chart, supplier, maker, invoice, run_tasks
):
    payment = issue(supplier, maker, run_tasks, invoice)

    claim(run_tasks, payment, account_type="vpa", vpa="failure@razorpay")

    payment.refresh_from_db()
    assert (payment.status, payment.payout_link_status) == ("processing", "issued")
    assert not JournalEntry.objects.exists()
    assert SupplierInvoice.objects.get(pk=invoice.pk).amount_allocated == Decimal("2500.00")
    [attempt] = payment.failed_payout_attempts  # kept for reconciliation (sources/payouts.py)
    failed_payout_id = attempt["payout_id"]
    assert failed_payout_id.startswith("pout_")
    claim(run_tasks, payment)
    payment.refresh_from_db()
    assert payment.status == "completed"
    assert payment.gateway_payout_id == sandbox_link(payment)["payout_id"] != failed_payout_id
    assert [item["payout_id"] for item in payment.failed_payout_attempts] == [failed_payout_id]
    assert JournalEntry.objects.filter(source_id=str(payment.pk)).count() == 1
    assert ("processing", "completed", "applied") in history(payment)


def test_an_expired_link_expires_the_payment_and_posts_nothing(
    configuration, inbox, chart, supplier, maker, invoice, run_tasks
):
    payment = issue(supplier, maker, run_tasks, invoice)
    row = SandboxObject.objects.get(object_id=payment.payout_link_id)
    row.body["expire_by"] = int(timezone.now().timestamp()) - 1
    row.save()

    run_tasks(payout_links_expire_due)

    payment.refresh_from_db()
    assert (payment.status, payment.payout_link_status) == ("expired", "expired")
    assert SupplierInvoice.objects.get(pk=invoice.pk).amount_allocated == Decimal("0.00")
    assert not JournalEntry.objects.exists()


def test_cancel_an_issued_link_at_the_gateway(
    configuration, inbox, chart, supplier, maker, invoice, run_tasks
):
    payment = issue(supplier, maker, run_tasks, invoice)

    run_tasks(lambda: supplier_payment_cancel(payment=payment, actor=maker, reason="Paid by cheque instead"))

    payment.refresh_from_db()
    assert (payment.status, payment.payout_link_status) == ("cancelled", "cancelled")
    assert sandbox_link(payment)["status"] == "cancelled"
    assert SupplierInvoice.objects.get(pk=invoice.pk).amount_allocated == Decimal("0.00")
    assert not JournalEntry.objects.exists()
    # The payout_link.cancelled webhook arrived after our own answer: repeated, ignored.
    assert history(payment)[-2:] == [
        ("processing", "cancelled", "applied"),
        ("cancelled", "cancelled", "ignored"),
    ]


def test_a_claimed_link_cannot_be_cancelled(configuration, supplier, maker, run_tasks):
    payment = issue(supplier, maker, run_tasks)
    # Claimed; its payout still running (its next step waits for a commit this test never makes).
    Client().post(payment.payout_link_url.removeprefix("http://sandbox.testserver"),
                  {"account_type": "vpa", "vpa": "acme@okhdfc"})  # fmt: skip
    assert sandbox_link(payment)["status"] == "processing"

    with pytest.raises(ConflictError) as caught:
        supplier_payment_cancel(payment=payment, actor=maker, reason="Too late")

    assert "did not cancel" in caught.value.message
    assert SupplierPayment.objects.get(pk=payment.pk).status == "processing"


def _event(payment, status: str, event_id: str, **extra) -> GatewayEvent:
    return GatewayEvent(provider="razorpay", event_id=event_id, event_type=f"payout_link.{status}",
                        object_type="payout_link", object_id=payment.payout_link_id, status=status,
                        reference_id=payment.reference, **extra)  # fmt: skip


def test_late_and_repeated_link_events_change_nothing(
    configuration, inbox, chart, supplier, maker, run_tasks
):
    payment = issue(supplier, maker, run_tasks)
    claim(run_tasks, payment)
    payment.refresh_from_db()
    before = len(history(payment))

    for event in (_event(payment, "issued", "late-1"), _event(payment, "processed", "again-1"),
                  _event(payment, "expired", "late-2")):  # fmt: skip
        supplier_payout_link_apply_event(event=event, configuration=configuration)

    payment.refresh_from_db()
    assert (payment.status, payment.payout_link_status) == ("completed", "processed")
    assert [row[2] for row in history(payment)[before:]] == ["ignored", "ignored", "ignored"]
    assert JournalEntry.objects.filter(source_id=str(payment.pk)).count() == 1


def test_a_redelivered_webhook_is_stored_once(configuration, inbox, chart, supplier, maker, run_tasks):
    payment = issue(supplier, maker, run_tasks)
    claim(run_tasks, payment)
    delivery = SandboxWebhookDelivery.objects.get(event_type="payout_link.processed")

    answer = Client().post("/api/gateway/webhook/razorpay", delivery.body, content_type="application/json",
                           **{f"HTTP_{key.upper().replace('-', '_')}": value for key, value in delivery.headers.items()
                              if key.lower() != "content-type"})  # fmt: skip

    assert answer.status_code == 200
    assert WebhookEvent.objects.filter(event_type="payout_link.processed").count() == 1
    assert JournalEntry.objects.filter(source_id=str(payment.pk)).count() == 1


def test_lost_webhooks_are_made_good_by_the_status_sync(
    configuration, chart, supplier, maker, invoice, run_tasks
):
    payment = issue(supplier, maker, run_tasks, invoice)  # the merchant's webhooks go nowhere
    claim(run_tasks, payment)
    assert SupplierPayment.objects.get(pk=payment.pk).status == "processing"

    counts = status_sync_run(now=timezone.now() + timedelta(hours=1))

    payment.refresh_from_db()
    assert (counts["asked"], counts["applied"], payment.status) == (1, 1, "completed")
    assert payment.utr and payment.fee == Decimal("5.90")
    assert JournalEntry.objects.filter(source_id=str(payment.pk)).count() == 1


def test_a_lost_create_answer_is_found_by_our_reference_not_made_twice(
    configuration, supplier, maker, run_tasks
):
    payment = issue(supplier, maker, run_tasks)
    link_id = payment.payout_link_id
    # As if the create call's answer never came back: nothing of the link saved, outcome unknown.
    rewind(SupplierPayment, payment.pk, status="submitted", payout_link_id="", payout_link_url="")
    payment.refresh_from_db()
    run_tasks(lambda: payment_call_failed(payment, GatewayTimeoutError("Timed out", provider="razorpay"),
                                          operation="create_payout_link"))  # fmt: skip

    payment = supplier_payment_status_sync(payment_id=payment.pk)

    assert (payment.status, payment.payout_link_id) == ("processing", link_id)
    assert SandboxObject.objects.filter(entity="payout_link").count() == 1


def test_a_create_that_never_reached_the_gateway_is_sent_by_the_status_sync(configuration, supplier, maker):
    payment = link_payment(supplier, maker)
    move_to(payment, "unknown")  # as the dispatch would have left it
    SupplierPayment.objects.filter(pk=payment.pk).update(configuration=configuration)

    payment = supplier_payment_status_sync(payment_id=payment.pk)

    assert (payment.status, payment.payout_link_status) == ("processing", "issued")
    assert SandboxObject.objects.filter(entity="payout_link").count() == 1


def test_a_claims_payout_held_by_the_gateway_says_why_as_a_payout_does(
    configuration, chart, supplier, maker, run_tasks
):
    """A claim's payout.queued carries RazorpayX's reason; the link's payment shows it, as a
    direct payout's does (PayoutOutcome.from_event on both paths). The sandbox fails a claim
    it cannot fund rather than queue it, so the event is built here."""
    payment = issue(supplier, maker, run_tasks)
    queued = GatewayEvent(provider="razorpay", event_id="queued-1", event_type="payout.queued",
                          object_type="payout", object_id="pout_Queued000001", status="queued",
                          reference_id=payment.reference, waiting_code="low_balance",
                          waiting_reason="Payout is queued as there is insufficient balance to process it.")  # fmt: skip

    supplier_payment_apply_event(event=queued, configuration=configuration)

    payment.refresh_from_db()
    assert (payment.status, payment.waiting_code, payment.waiting_reason) == (
        "processing",
        "low_balance",
        "Payout is queued as there is insufficient balance to process it.",
    )
    assert not JournalEntry.objects.exists()


def test_late_link_webhooks_never_replace_the_links_newer_word(
    configuration, chart, supplier, maker, run_tasks, monkeypatch
):
    """A link's events carry its word (issued, processing) and the payout its latest claim
    made, each said at its envelope's created_at. Delivered out of order, the newest said
    stays: a failed first claim's events arriving after the second claim's leave the link
    processing with the second claim's payout, so its events are the ones that count, and
    the claimed link is not sent to the supplier again."""
    clock = GatewayClock(monkeypatch)
    payment = issue(supplier, maker, run_tasks)  # payout_link.issued at 0 s; no webhook reaches us
    clock.at(10)
    claim(run_tasks, payment, account_type="vpa", vpa="failure@razorpay")  # processing, then attempted
    clock.at(20)
    page = payment.payout_link_url.removeprefix("http://sandbox.testserver")
    Client().post(page, {"account_type": "vpa", "vpa": "acme@okhdfc"})  # claimed again; its payout runs on
    links = SandboxWebhookDelivery.objects.filter(event_type__startswith="payout_link.").order_by("id")
    assert [item.event_type for item in links] == [
        "payout_link.issued",
        "payout_link.processing",
        "payout_link.attempted",
        "payout_link.processing",
    ]
    issued, first_claim, attempted, second_claim = links

    inbox_deliver(run_tasks, second_claim, attempted, first_claim, issued)

    payment.refresh_from_db()
    second_payout = sandbox_link(payment)["payout_id"]
    assert second_payout != json.loads(first_claim.body)["payload"]["payout_link"]["entity"]["payout_id"]
    assert (payment.status, payment.payout_link_status, payment.gateway_payout_id) == (
        "processing",
        "processing",
        second_payout,
    )
    with pytest.raises(ConflictError):
        supplier_payout_link_resend(payment=payment, actor=maker)


def test_a_claim_after_a_fetched_link_word_shows_when_the_gateways_clock_runs_behind_ours(
    configuration, chart, supplier, maker, run_tasks, monkeypatch
):
    """The gateway's clock two minutes behind ours. The status sync's answer (issued) is
    kept at the gateway's own time (the link's creation), not ours, so the supplier's claim
    said after it (by the gateway's clock) shows, with the payout the claim made: refused as
    older, the claim's payout events would find no payment to apply to."""
    clock = GatewayClock(monkeypatch).at(-120)
    payment = issue(supplier, maker, run_tasks)  # no webhook reaches us
    status_sync_run(now=timezone.now() + timedelta(hours=1))
    assert WebhookEvent.objects.get().event_type == "payout_link.issued"
    clock.at(-100)
    page = payment.payout_link_url.removeprefix("http://sandbox.testserver")
    Client().post(page, {"account_type": "vpa", "vpa": "acme@okhdfc"})  # claimed; its payout runs on

    inbox_deliver(run_tasks, SandboxWebhookDelivery.objects.get(event_type="payout_link.processing"))

    payment.refresh_from_db()
    assert (payment.status, payment.payout_link_status, payment.gateway_payout_id) == (
        "processing",
        "processing",
        sandbox_link(payment)["payout_id"],
    )


def test_the_status_sync_finds_a_second_claims_payout_though_the_link_is_processing_again(
    configuration, chart, supplier, maker, run_tasks
):
    """A link processing with the first claim's payout, then (that payout failed, the
    supplier claimed again) processing with the second's: the same status, another answer.
    The status sync stores it and the payment follows the second payout, whose events are
    the ones that count."""
    payment = issue(supplier, maker, run_tasks)  # no webhook reaches us
    page = payment.payout_link_url.removeprefix("http://sandbox.testserver")
    Client().post(page, {"account_type": "vpa", "vpa": "failure@razorpay"})  # claimed; its payout runs on
    first_payout = sandbox_link(payment)["payout_id"]
    status_sync_run(now=timezone.now() + timedelta(hours=1))
    assert SupplierPayment.objects.get(pk=payment.pk).gateway_payout_id == first_payout
    payout_advance(payout_id=first_payout)  # fails: the link is issued again
    Client().post(page, {"account_type": "vpa", "vpa": "acme@okhdfc"})  # claimed again
    second_payout = sandbox_link(payment)["payout_id"]

    status_sync_run(now=timezone.now() + timedelta(hours=2))

    payment.refresh_from_db()
    assert (payment.status, payment.payout_link_status, payment.gateway_payout_id) == (
        "processing",
        "processing",
        second_payout,
    )
    assert second_payout != first_payout
