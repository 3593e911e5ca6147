"""A payment link paid in two parts, its gateway answers applied out of order.

The patient pays ₹1,000 of a ₹2,500 bill's link, then the rest, on the sandbox's Razorpay
page (the link accepts part payments, switched on through the gateway's own API); the
browser never returns, so the webhooks and the status fetches record it. Whatever order
they are applied in, and with a fetch made before the second payment applied last, the link
ends paid with ₹2,500, the bill paid, one ledger entry per payment, nothing applied twice,
and what went stale is in the link's history as ignored.
"""

from decimal import Decimal

import pytest

from skinspire.collections.models import PatientPayment, PaymentLink
from skinspire.collections.services import links as link_services
from skinspire.collections.services.events import patient_payment_apply_event, payment_link_apply_event
from skinspire.collections.tests.support import entries_for, history_of
from skinspire.gateways.providers.interface import LinkStatus, PaymentLinkResult, PaymentProvider
from skinspire.gateways.providers.registry import provider_for
from skinspire.gateways.webhooks.models import WebhookEvent
from skinspire.gateways.webhooks.processing import webhook_event_process
from skinspire.ledger.models import JournalEntry
from skinspire.sandbox import demo
from skinspire.sandbox.models import SandboxMerchant
from tests import e2e_support as e2e

pytestmark = pytest.mark.django_db

FIRST, REST = Decimal("1000.00"), Decimal("1500.00")


@pytest.fixture
def link(staff, bill) -> PaymentLink:
    """A link for the whole ₹2,500, made through our API; part payments switched on at the
    gateway (Razorpay's PATCH /payment_links/:id takes accept_partial)."""
    response = staff.post("/api/gateway/create-payment-link", {"bill_id": bill.pk, "expire_in_hours": 48,
                                                                "notify": ["email"]}, format="json")  # fmt: skip
    assert response.status_code == 201, response.content
    created = PaymentLink.objects.get()
    gateway(created).client.payment_link.edit(created.gateway_link_id, {"accept_partial": True})
    return created


def gateway(link: PaymentLink):
    assert link.configuration is not None
    return provider_for(link.configuration)


def pay_part(link: PaymentLink, amount: Decimal, capture) -> None:
    """The patient pays `amount` on the gateway's page and closes the browser (the redirect
    to our return page is never followed)."""
    form = {"method": "upi", "vpa": "asha@okhdfc", "outcome": "success", "amount": str(amount)}
    with capture(execute=True):
        response = e2e.patient_browser().post(e2e.path_of(link.gateway_url), form)
    assert response.status_code == 302


def webhooks(link: PaymentLink) -> list:
    return e2e.verified_events(gateway(link), e2e.received_from("razorpay"))


def apply(link: PaymentLink, events) -> None:
    """Each event through its handler, as the webhook inbox hands it over."""
    assert link.configuration is not None
    for event in events:
        handler = (
            payment_link_apply_event if event.object_type == "payment_link" else patient_payment_apply_event
        )
        handler(event=event, configuration=link.configuration)


def staff_sees(staff, link: PaymentLink) -> tuple[str, str]:
    response = staff.get(f"/api/payment-links?bill_id={link.bill_id}")
    assert response.status_code == 200
    (shown,) = response.json()["results"]
    return shown["status"], shown["amount_paid"]


def assert_paid_in_two_parts_once(staff, link: PaymentLink, bill) -> None:
    link.refresh_from_db()
    bill.refresh_from_db()
    assert (link.status, link.amount_paid) == ("paid", Decimal("2500.00"))
    assert staff_sees(staff, link) == ("paid", "2500.00")
    payments = list(PatientPayment.objects.order_by("amount"))
    assert [(payment.amount, payment.status, payment.payment_link_id) for payment in payments] == [
        (FIRST, "captured", link.pk),
        (REST, "captured", link.pk),
    ]
    assert (bill.amount_paid, bill.status) == (Decimal("2500.00"), "paid")
    for payment in payments:
        assert entries_for(payment) == [
            (
                "received",
                [("1100", payment.amount, Decimal("0.00")), ("1200", Decimal("0.00"), payment.amount)],
            )
        ]
        assert [row for row in history_of(payment) if row[2] == "applied"] == [
            ("pending", "captured", "applied")
        ]
    assert JournalEntry.objects.count() == 2


def link_moves_applied(link: PaymentLink) -> list[tuple[str, str, str]]:
    return [row for row in history_of(link) if row[2] == "applied"]


def test_a_fetch_made_before_the_second_payment_applied_last_moves_nothing_back(
    staff, link, bill, django_capture_on_commit_callbacks
):
    pay_part(link, FIRST, django_capture_on_commit_callbacks)
    before_the_rest = gateway(link).fetch_payment_link(link.gateway_link_id)
    assert (before_the_rest.status, before_the_rest.amount_paid) == (LinkStatus.PARTIALLY_PAID, FIRST)
    pay_part(link, REST, django_capture_on_commit_callbacks)
    events = webhooks(link)
    assert [event.event_type for event in events if event.object_type == "payment_link"] == [
        "payment_link.partially_paid",
        "payment_link.paid",
    ]

    apply(link, reversed(events))  # the last webhook first, the first one last
    link_services.payment_link_status_apply(
        link=link, result=before_the_rest, reason="Status sync", event_reference="task:status_sync"
    )

    assert_paid_in_two_parts_once(staff, link, bill)
    assert link_moves_applied(link) == [("created", "paid", "applied")]
    assert ("paid", "partially_paid", "ignored") in history_of(link)


def test_each_part_recorded_as_it_comes_then_the_stale_fetch_and_every_webhook_again(
    staff, link, bill, django_capture_on_commit_callbacks
):
    pay_part(link, FIRST, django_capture_on_commit_callbacks)
    before_the_rest = gateway(link).fetch_payment_link(link.gateway_link_id)
    apply(link, webhooks(link))
    link.refresh_from_db()
    assert (link.status, link.amount_paid) == ("partially_paid", FIRST)
    assert staff_sees(staff, link) == ("partially_paid", "1000.00")
    first_part = len(webhooks(link))
    pay_part(link, REST, django_capture_on_commit_callbacks)
    apply(link, webhooks(link)[first_part:])

    link_services.payment_link_status_apply(
        link=link, result=before_the_rest, reason="Status sync", event_reference="task:status_sync"
    )
    apply(link, webhooks(link))  # and every webhook delivered again

    assert_paid_in_two_parts_once(staff, link, bill)
    assert link_moves_applied(link) == [
        ("created", "partially_paid", "applied"),
        ("partially_paid", "paid", "applied"),
    ]


def test_two_workers_cross_the_one_that_fetched_first_applies_last(
    staff, link, bill, monkeypatch, django_capture_on_commit_callbacks
):
    """Worker A handles payment_link.partially_paid: it fetches the link (₹1,000 paid);
    meanwhile the patient pays the rest and worker B applies payment_link.paid in full; then A
    goes on with its fetched answer. The crossing is staged by running B inside A's fetch."""
    pay_part(link, FIRST, django_capture_on_commit_callbacks)
    (partly,) = [event for event in webhooks(link) if event.event_type == "payment_link.partially_paid"]
    real_fetch = type(gateway(link)).fetch_payment_link
    crossed: list[PaymentLinkResult] = []

    def fetch_then_worker_b(provider: PaymentProvider, gateway_link_id: str) -> PaymentLinkResult:
        result = real_fetch(provider, gateway_link_id)
        if not crossed:
            crossed.append(result)
            pay_part(link, REST, django_capture_on_commit_callbacks)
            apply(link, [event for event in webhooks(link) if event.event_type == "payment_link.paid"])
        return result

    monkeypatch.setattr(type(gateway(link)), "fetch_payment_link", fetch_then_worker_b)

    apply(link, [partly])  # worker A

    assert (crossed[0].status, crossed[0].amount_paid) == (LinkStatus.PARTIALLY_PAID, FIRST)
    monkeypatch.undo()
    assert_paid_in_two_parts_once(staff, link, bill)
    assert link_moves_applied(link) == [("created", "paid", "applied")]
    assert ("paid", "partially_paid", "ignored") in history_of(link)


def test_through_the_webhook_inbox_every_webhook_is_processed_and_a_late_one_again_changes_nothing(
    staff, link, bill, django_capture_on_commit_callbacks
):
    """The sandbox delivers to our own inbox (/api/gateway/webhook/razorpay), which stores,
    verifies and hands each webhook to its handler; then the first part's link webhook is
    processed again after the rest (as the admin's reprocess action does), and the stale fetch."""
    SandboxMerchant.objects.filter(key_id=demo.RAZORPAY_KEY_ID).update(
        webhook_url=f"{demo.site_url()}/api/gateway/webhook/razorpay"
    )
    pay_part(link, FIRST, django_capture_on_commit_callbacks)
    before_the_rest = gateway(link).fetch_payment_link(link.gateway_link_id)
    pay_part(link, REST, django_capture_on_commit_callbacks)
    rows = WebhookEvent.objects.filter(provider="razorpay")
    assert rows.count() == 7  # two payments (authorized, captured), order.paid, the link's two
    partly = rows.get(event_type="payment_link.partially_paid")

    with django_capture_on_commit_callbacks(execute=True):
        again = webhook_event_process(event_id=partly.pk, reprocess=True)
        link_services.payment_link_status_apply(
            link=link, result=before_the_rest, reason="Status sync", event_reference="task:status_sync"
        )

    assert (again.status, again.last_error) == ("processed", "")
    assert sorted(set(rows.values_list("status", "last_error", "traceback"))) == [("processed", "", "")]
    assert_paid_in_two_parts_once(staff, link, bill)
    assert link_moves_applied(link) == [
        ("created", "partially_paid", "applied"),
        ("partially_paid", "paid", "applied"),
    ]
