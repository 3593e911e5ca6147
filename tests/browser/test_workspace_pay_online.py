"""Pay online at the counter in Chromium: from the staff bill page, the patient pays through
the gateway's hosted checkout (Razorpay Hosted Checkout, Paytm Show Payment Page) and the
payment lands on the bill.

The sandbox plays the gateway on another origin (127.0.0.1, while staff use localhost), as
Razorpay's host is another origin in production: the hand-over form must leave the site,
which the site-wide CSP (form-action 'self') forbids and the hand-over page's own policy
allows for that one host. The `browser_context` fixture fails the test on any CSP violation.
"""

from decimal import Decimal

import pytest

from skinspire.collections.models import PatientPayment
from skinspire.collections.tests.factories import BillFactory, PatientFactory
from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.ledger.services import chart_of_accounts_create
from skinspire.sandbox.tests.factories import SandboxMerchantFactory
from skinspire.workspace.tests.payments_support import sandbox_gateway
from skinspire.workspace.tests.support import accounts_desk
from tests.browser.workspace_browser import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def gateway_on_another_origin(hospital, provider: str, gateway_origin: str) -> None:
    """The hospital's default gateway: the sandbox's, addressed by another origin."""
    if provider == "razorpay":
        configuration = sandbox_gateway(hospital)
    else:
        merchant = SandboxMerchantFactory(paytm=True, webhook_url="")
        configuration = GatewayConfigurationFactory(
            paytm=True, hospital=hospital, is_default=True, key_id=merchant.key_id,
            paytm_merchant_key=merchant.key_secret,
        )  # fmt: skip
    GatewayConfiguration.objects.filter(pk=configuration.pk).update(
        base_url=f"{gateway_origin}/sandbox/{provider}"
    )


@pytest.mark.parametrize("provider", ["razorpay", "paytm"])
def test_staff_open_the_checkout_and_the_patient_pays_by_upi(
    live_server, browser_context, settings, provider
):
    port = live_server.url.rsplit(":", 1)[1]
    gateway_origin = f"http://127.0.0.1:{port}"
    settings.GATEWAY_BASE_URL_ALLOWLIST = [*settings.GATEWAY_BASE_URL_ALLOWLIST, f"{gateway_origin}/sandbox"]
    desk = accounts_desk()
    chart_of_accounts_create(hospital=desk.hospital)
    gateway_on_another_origin(desk.hospital, provider, gateway_origin)
    patient = PatientFactory(hospital=desk.hospital, name="Asha Verma")
    bill = BillFactory(branch=desk.main, patient=patient, number="OPD-3003", amount="2000.00")
    context = browser_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    handover = []
    page.on(
        "response",
        lambda response: (
            handover.append(response.headers.get("content-security-policy", ""))
            if response.url.endswith("/pay-online")
            else None
        ),
    )
    log_in(page, live_server, desk.people["payments"].username, f"/workspace/bills/{bill.pk}/")

    page.fill("#online-amount", "1500.00")
    page.click("#action-pay-online button[type=submit]")
    # The hand-over page submits itself to the gateway's hosted checkout, on the other origin.
    page.wait_for_url(f"{gateway_origin}/sandbox/{provider}/**")
    assert f"form-action 'self' {gateway_origin}" in handover[0]
    page.check("input[name=method][value=upi]")
    if provider == "razorpay":
        page.fill("#vpa", "asha@okhdfc")
    screenshot(page, f"workspace-pay-online-{provider}")
    page.click("button[value=success]")
    page.wait_for_selector("[data-outcome=paid]")
    assert "Payment received" in page.inner_text("h1")

    payment = PatientPayment.objects.get()
    assert (payment.status, payment.amount, payment.source) == ("captured", Decimal("1500.00"), provider)
    page.goto(f"{live_server.url}/workspace/bills/{bill.pk}/")
    assert page.inner_text("#amount-open") == "₹500.00"
    assert "Captured" in page.inner_text("#bill-payments")
    screenshot(page, f"workspace-pay-online-bill-{provider}")
