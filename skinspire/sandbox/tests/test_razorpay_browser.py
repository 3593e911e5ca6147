"""A patient pays in Chromium: the order checkout and a payment link on a phone-sized screen.

Real HTTP here: the official SDK talks to `live_server`, and the browser follows the
checkout's POST back to the callback URL (the sandbox index, which shows what it received).
"""

from pathlib import Path

import pytest
import razorpay

from skinspire.sandbox.tests.factories import SandboxMerchantFactory

SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"


def _client(merchant, live_server):
    return razorpay.Client(
        auth=(merchant.key_id, merchant.key_secret), base_url=f"{live_server.url}/sandbox/razorpay"
    )


def _finish(client, page):
    """Close kept-alive connections so no server thread outlives the test's database."""
    client.session.close()
    page.goto("about:blank")


def _callback_value(page, name):
    return page.locator(f'#callback code[data-name="{name}"]').inner_text()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_patient_pays_an_order_by_upi_and_lands_on_the_callback(live_server, page):
    merchant = SandboxMerchantFactory(name="Skinspire Hospital")
    client = _client(merchant, live_server)
    order = client.order.create({"amount": 75000, "currency": "INR", "receipt": "OPD-77"}, timeout=10)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    page.goto(
        f"{live_server.url}/sandbox/razorpay/checkout/{order['id']}/?callback_url={live_server.url}/sandbox/"
    )
    assert page.get_by_test_id("amount").inner_text() == "₹750.00"
    page.check("input[name=method][value=upi]")
    page.fill("#vpa", "patient@okhdfc")
    page.screenshot(path=str(SCREENSHOTS / "sandbox-razorpay-checkout.png"), full_page=True)
    page.click("button[value=success]")
    page.wait_for_selector("#callback")

    assert page.url == f"{live_server.url}/sandbox/"
    fields = {
        name: _callback_value(page, name)
        for name in ("razorpay_payment_id", "razorpay_order_id", "razorpay_signature")
    }
    assert fields["razorpay_order_id"] == order["id"]
    assert client.utility.verify_payment_signature(fields) is True
    payment = client.payment.fetch(fields["razorpay_payment_id"], timeout=10)
    assert (payment["status"], payment["method"], payment["vpa"]) == ("captured", "upi", "patient@okhdfc")
    _finish(client, page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_patient_pays_a_link_on_a_phone(live_server, browser_context):
    merchant = SandboxMerchantFactory(name="Skinspire Hospital")
    client = _client(merchant, live_server)
    link = client.payment_link.create(
        {
            "amount": 120050,
            "description": "IPD bill 5521",
            "reference_id": "IPD-5521",
            "customer": {"name": "Ravi Kumar"},
            "callback_url": f"{live_server.url}/sandbox/",
            "callback_method": "get",
        },
        timeout=10,
    )
    context = browser_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    try:
        phone.goto(link["short_url"])
        assert phone.get_by_test_id("amount").inner_text() == "₹1,200.50"
        pay_button = phone.locator("button[value=success]").bounding_box()
        assert pay_button["width"] >= 300 and pay_button["height"] >= 48  # thumb-sized, full width
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        phone.screenshot(path=str(SCREENSHOTS / "sandbox-razorpay-link-phone.png"), full_page=True)
        phone.click("input[name=method][value=card]")
        phone.click("button[value=success]")
        phone.wait_for_selector("#callback")

        names = ("payment_link_id", "payment_link_reference_id", "payment_link_status")
        parameters = {name: _callback_value(phone, f"razorpay_{name}") for name in names}
        parameters["razorpay_payment_id"] = _callback_value(phone, "razorpay_payment_id")
        parameters["razorpay_signature"] = _callback_value(phone, "razorpay_signature")
    finally:
        context.close()
    assert parameters["payment_link_status"] == "paid"
    assert client.utility.verify_payment_link_signature(parameters) is True
    assert client.payment_link.fetch(link["id"], timeout=10)["status"] == "paid"
    client.session.close()
