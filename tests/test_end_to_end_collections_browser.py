"""The patient's side on a phone, in Chromium over real HTTP (the `make run` path): our link
page shows the hospital, the bill and the amount, hands over to the gateway's page, the
patient pays by UPI and lands on our page and then the receipt; a failed payment says what
to do next; an expired link says so. The `page` fixture fails the test on any
Content-Security-Policy violation, and nothing is loaded from another host."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from skinspire.collections.models import PatientPayment, PaymentLink
from skinspire.collections.services.links import payment_link_create
from skinspire.core.tests.factories import UserFactory
from skinspire.gateways.models import GatewayConfiguration, Provider
from tests import collections_support as support
from tests import e2e_support as e2e

PHONE = {"width": 390, "height": 844}
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def link(hospital, live_server, settings):
    e2e.receiver_install(settings)
    e2e.demo_gateways_seed(hospital=hospital)
    settings.GATEWAY_BASE_URL_ALLOWLIST = [*settings.GATEWAY_BASE_URL_ALLOWLIST, f"{live_server.url}/sandbox"]
    GatewayConfiguration.objects.filter(hospital=hospital, provider=Provider.RAZORPAY).update(
        base_url=f"{live_server.url}/sandbox/razorpay"
    )
    bill = support.bill_in_demo_hospital(hospital)
    created = payment_link_create(
        actor=UserFactory(hospital=hospital),
        bill=bill,
        amount=Decimal("1200.50"),
        expire_in_hours=24,
        notify_sms=True,
        callback_url_for=lambda link: (
            f"{live_server.url}{reverse('collections-link-return', args=[link.token])}"
        ),
    )
    yield created
    e2e.receiver_uninstall()


def open_on_phone(page, live_server, link):
    page.set_viewport_size(PHONE)
    hosts = []
    page.on("request", lambda request: hosts.append(request.url.split("/")[2]))
    page.goto(f"{live_server.url}/pay/link/{link.token}")
    return hosts


def test_patient_pays_a_link_by_upi_and_lands_on_the_receipt(page, live_server, link):
    hosts = open_on_phone(page, live_server, link)
    assert "₹1,200.50" in page.locator(".amount").inner_text()
    assert str(link.hospital) in page.inner_text("h1")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.click("a.pay")
    page.check("input[name=method][value=upi]")
    page.fill("#vpa", "asha@okhdfc")
    page.click("button[value=success]")
    page.wait_for_selector("[data-state=thanks]")
    assert "Payment received" in page.inner_text("h1")
    page.click("text=See your receipt")
    page.wait_for_selector("text=Payment receipt")

    payment = PatientPayment.objects.get()
    assert (payment.status, payment.amount) == ("captured", Decimal("1200.50"))
    # The heading may be drawn before the rest of the page (the click waited only for it to start).
    expect(page.locator("body")).to_contain_text(payment.reference)
    expect(page.locator("body")).to_contain_text("₹1,200.50")
    assert PaymentLink.objects.get().status == "paid"
    assert set(hosts) <= {live_server.url.split("/")[2]}
    page.goto("about:blank")


def test_a_failed_payment_says_what_to_do_next(page, live_server, link):
    open_on_phone(page, live_server, link)
    page.click("a.pay")
    page.check("input[name=method][value=upi]")
    page.fill("#vpa", "failure@razorpay")
    page.click("button[value=success]")

    # The click returns once the answer starts loading, not once it is drawn.
    expect(page.locator("body")).to_contain_text("Payment failed")
    page.goto(f"{live_server.url}/pay/link/{link.token}")  # back on our page: still payable
    assert page.locator("a.pay").is_visible()
    assert PatientPayment.objects.count() == 0
    page.goto("about:blank")


def test_an_expired_link_says_so(page, live_server, link):
    PaymentLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(minutes=5))

    open_on_phone(page, live_server, link)

    assert "This payment link has expired" in page.inner_text("h1")
    assert page.locator("a.pay").count() == 0
    page.goto("about:blank")
