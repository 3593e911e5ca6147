"""A bill paid in full cancels its other open payment links at the gateway and here, through
the sandboxes: a link sent earlier cannot take the bill's money a second time. A link the
patient paid at that same moment cannot be cancelled; its payment is recorded, not lost, and
the bill shows the excess. A cancel that fails is recorded once and tried again by the
status sync."""

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from skinspire.collections.models import PatientPayment, PaymentLink
from skinspire.collections.tests.support import history_of
from skinspire.core.models import AuditEntry
from skinspire.core.roles import ROLE_PAYMENTS_STAFF
from skinspire.core.tests.factories import UserFactory
from skinspire.gateways.errors import GatewayError
from skinspire.gateways.providers.interface import LinkStatus
from skinspire.gateways.providers.registry import provider_for
from skinspire.gateways.webhooks.status_sync import status_sync_run
from tests import e2e_support as e2e

pytestmark = pytest.mark.django_db


def link_create(staff, bill, **body) -> PaymentLink:
    body = {"bill_id": bill.pk, "expire_in_hours": 24, "notify": [], **body}
    response = staff.post("/api/gateway/create-payment-link", body, format="json", HTTP_HOST=e2e.SANDBOX_HOST)
    assert response.status_code == 201, response.content
    return PaymentLink.objects.get(pk=response.json()["id"])


def counter_pays(staff, bill, amount: str, capture) -> None:
    with capture(execute=True):
        response = staff.post("/api/patient-payments/manual",
                              {"bill_id": bill.pk, "amount": amount, "method": "cash"}, format="json")  # fmt: skip
    assert response.status_code == 201, response.content


def at_gateway(link: PaymentLink) -> LinkStatus:
    assert link.configuration is not None
    return provider_for(link.configuration).fetch_payment_link(link.gateway_link_id).status


def audit_of(link: PaymentLink, action: str) -> list[str]:
    return list(
        AuditEntry.objects.filter(action=action, object_id=str(link.pk), content_type__model="paymentlink")
        .order_by("id")
        .values_list("message", flat=True)
    )


def cancel_down(monkeypatch, link: PaymentLink) -> Callable[[], None]:
    """The gateway stops answering cancels of `link`'s provider; call what it returns to bring it back."""
    provider_class = type(provider_for(link.configuration))
    cancel = provider_class.cancel_payment_link

    def down(self, gateway_link_id):
        raise GatewayError("The gateway did not answer.", provider="razorpay", provably_failed=False)

    monkeypatch.setattr(provider_class, "cancel_payment_link", down)
    return lambda: monkeypatch.setattr(provider_class, "cancel_payment_link", cancel)


@pytest.mark.parametrize("provider", ["razorpay", "paytm"])
def test_the_counter_paying_the_rest_cancels_the_open_link(
    staff, bill, hospital, provider, django_capture_on_commit_callbacks
):
    hospital.gateway_configurations.exclude(provider=provider).update(is_active=False)
    link = link_create(staff, bill, amount="1000.00")

    counter_pays(
        staff, bill, "1500.00", django_capture_on_commit_callbacks
    )  # the link asks for the rest: still allowed
    counter_pays(staff, bill, "1000.00", django_capture_on_commit_callbacks)

    link.refresh_from_db()
    assert link.status == "cancelled"
    assert at_gateway(link) == LinkStatus.CANCELLED
    assert history_of(link) == [("created", "cancelled", "applied")]
    assert audit_of(link, "payment_link.cancel") == [
        f"Bill {bill.number} was paid in full; this link is no longer needed."
    ]


def test_a_link_paid_at_the_gateway_at_the_same_moment_is_recorded_and_the_excess_shown(
    staff, bill, django_capture_on_commit_callbacks
):
    link = link_create(staff, bill)
    # The patient pays the link; neither the return nor the webhook has reached us yet.
    paid = e2e.patient_browser().post(e2e.path_of(link.gateway_url), {"method": "upi", "vpa": "asha@okhdfc",
                                                                      "outcome": "success"})  # fmt: skip
    assert paid.status_code == 302

    counter_pays(staff, bill, "2500.00", django_capture_on_commit_callbacks)

    link.refresh_from_db()
    bill.refresh_from_db()
    assert link.status == "paid"  # the gateway refused the cancel; its payment was asked for
    assert sorted(PatientPayment.objects.values_list("amount", "status")) == [
        (Decimal("2500.00"), "captured"),
        (Decimal("2500.00"), "captured"),
    ]
    assert (bill.amount_paid, bill.status) == (Decimal("5000.00"), "paid")
    assert AuditEntry.objects.filter(action="bill.overpaid_alert", object_id=str(bill.pk)).count() == 1
    assert audit_of(link, "payment_link.cancel_failed") == []


def test_a_cancel_that_fails_is_recorded_once_and_retried_by_the_status_sync(
    staff, bill, client, monkeypatch, django_capture_on_commit_callbacks
):
    link = link_create(staff, bill)
    back_up = cancel_down(monkeypatch, link)
    counter_pays(staff, bill, "2500.00", django_capture_on_commit_callbacks)
    later = timezone.now() + timedelta(hours=1)
    status_sync_run(now=later)  # still down: tried again, not recorded again

    link.refresh_from_db()
    assert (link.status, at_gateway(link)) == ("created", LinkStatus.CREATED)
    assert audit_of(link, "payment_link.cancel_failed") == [
        f"Bill {bill.number} is paid, but link {link.reference} could not be cancelled and may still be paid: "
        "The gateway did not answer. It is tried again at each status sync."
    ]

    assert "could not be cancelled yet, so the patient could still pay it" in bill_page(client, bill)

    back_up()
    status_sync_run(now=later)

    link.refresh_from_db()
    assert (link.status, at_gateway(link)) == ("cancelled", LinkStatus.CANCELLED)
    assert "Links still open on a paid bill" not in bill_page(client, bill)


def bill_page(client, bill) -> str:
    client.force_login(
        UserFactory(hospital=bill.hospital, roles=[ROLE_PAYMENTS_STAFF], branches=[bill.branch])
    )
    return client.get(f"/workspace/bills/{bill.pk}/").content.decode()
