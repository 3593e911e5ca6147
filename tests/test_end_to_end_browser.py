"""The `make run` path over real HTTP: the Razorpay adapter, configured with the running
site's sandbox as its base URL, makes a payment link; the patient pays it by UPI in
Chromium on a phone-sized screen and lands on the callback URL; the adapter then reads the
link as paid, and the signed `payment_link.paid` webhook has reached the configured URL.
"""

from decimal import Decimal

import pytest

from skinspire.gateways.manager import select_configurations
from skinspire.gateways.models import GatewayConfiguration, Provider
from skinspire.gateways.providers.interface import Customer, LinkStatus, PaymentLinkRequest
from skinspire.gateways.providers.registry import provider_for
from tests import e2e_support as e2e

PHONE = {"width": 390, "height": 844}


def _callback_value(page, name: str) -> str:
    return page.locator(f'#callback code[data-name="{name}"]').inner_text()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_patient_pays_a_payment_link_on_a_phone_over_real_http(hospital, live_server, page, settings):
    received = e2e.receiver_install(settings)
    e2e.demo_gateways_seed(hospital=hospital)
    # As in development, where the running site's sandbox is on GATEWAY_BASE_URL_ALLOWLIST.
    settings.GATEWAY_BASE_URL_ALLOWLIST = [*settings.GATEWAY_BASE_URL_ALLOWLIST, f"{live_server.url}/sandbox"]
    GatewayConfiguration.objects.filter(hospital=hospital, provider=Provider.RAZORPAY).update(
        base_url=f"{live_server.url}/sandbox/razorpay"
    )
    configuration = select_configurations(hospital=hospital, capability="payment_links")[0]
    provider = provider_for(configuration)
    try:
        link = provider.create_payment_link(
            PaymentLinkRequest(
                amount=Decimal("1200.50"),
                reference_id="IPD-5521",
                customer=Customer(name="Ravi Kumar", email="ravi@example.com", phone="+919812345678"),
                description="IPD bill 5521",
                notify_email=True,
                notify_sms=True,
                callback_url=f"{live_server.url}/sandbox/",
            )
        )
        assert link.url == f"{live_server.url}/sandbox/razorpay/l/{link.gateway_link_id}/"

        page.set_viewport_size(PHONE)
        page.goto(link.url)
        assert page.get_by_test_id("amount").inner_text() == "₹1,200.50"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.check("input[name=method][value=upi]")
        page.fill("#vpa", "ravi@okicici")
        page.click("button[value=success]")
        page.wait_for_selector("#callback")

        assert page.url.startswith(f"{live_server.url}/sandbox/?")
        signed = {
            f"razorpay_{name}": _callback_value(page, f"razorpay_{name}")
            for name in (
                "payment_link_id",
                "payment_link_reference_id",
                "payment_link_status",
                "payment_id",
                "signature",
            )
        }
        payment_id = signed["razorpay_payment_id"]
        assert (signed["razorpay_payment_link_id"], signed["razorpay_payment_link_status"]) == (
            link.gateway_link_id,
            "paid",
        )
        assert provider.verify_payment_link_callback(signed) is True

        paid = provider.fetch_payment_link(link.gateway_link_id)
        assert (paid.status, paid.amount_paid, paid.payment_ids) == (
            LinkStatus.PAID,
            Decimal("1200.50"),
            (payment_id,),
        )
        assert paid.raw["payments"][0]["method"] == "upi"
        events = e2e.verified_events(provider, e2e.received_from("razorpay"))
        assert [(event.event_type, event.object_id) for event in events][-1] == (
            "payment_link.paid",
            link.gateway_link_id,
        )
        assert len(received) == 4
    finally:
        # Kept-alive connections would otherwise outlive the test's database.
        provider.session.close()
        page.goto("about:blank")
        e2e.receiver_uninstall()
