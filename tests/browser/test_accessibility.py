"""The pages people use, checked by axe-core in Chromium against WCAG 2.1 A and AA: every
workspace page of each role with data on it (and the record form's dialog and error states),
the patient's link pages and receipt on a phone, the sign-in and two-factor pages, and the
admin pages of a gateway configuration and a discrepancy. A "serious" or "critical"
violation of a WCAG rule fails the test, naming the page; the rest (moderate and minor ones,
best practices, what axe could not decide) is kept in var/accessibility/ (tests/browser/axe_check.py).

axe runs from the copy bundled in axe-playwright-python: nothing is loaded from another host
(each test fails on a request that leaves the site), and the page's Content-Security-Policy
still holds (the `browser_context` fixture fails a test on any violation)."""

from urllib.parse import urlencode, urlsplit

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from skinspire.collections.models import PaymentLink
from skinspire.core.tests.totp_support import code_for, enrolled_device
from skinspire.sandbox.models import SandboxObject
from skinspire.sandbox.razorpay.signatures import payment_link_signature
from skinspire.workspace.tests.support import EVERY_PERSON, accounts_desk
from tests.browser.axe_check import DJANGO_ADMIN_RULES_SKIPPED, Findings
from tests.browser.workspace_browser import PASSWORD, log_in
from tests.browser.workspace_pages import ROLE_PAGES, desk_with_every_page, open_patient_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DESK = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def visit(page, live_server, name: str, url: str, findings: Findings, **options) -> None:
    response = page.goto(f"{live_server.url}{url}")
    assert response is not None and response.status == 200, (name, url, response and response.status)
    if name == "batch":
        # Its script asks the API for the progress after loading and redraws it: axe reads
        # the page once that answer is in (a batch pending approval is polled once).
        expect(page.locator("#progress")).to_have_attribute("data-polling", "done")
    findings.check(page, name, **options)


class Offsite:
    """Each request of the watched contexts' pages to a host other than the live server's
    (there must be none: the site runs on hospital intranets)."""

    def __init__(self, site_url: str) -> None:
        self.own = urlsplit(site_url).netloc
        self.requests: list[str] = []

    def __call__(self, context):
        context.on("request", self.record)
        return context

    def record(self, request) -> None:
        url = urlsplit(request.url)
        if url.scheme in ("http", "https") and url.netloc != self.own:
            self.requests.append(request.url)


@pytest.fixture
def offsite(live_server) -> Offsite:
    return Offsite(live_server.url)


@pytest.fixture
def desk():
    """A hospital's desk with something on every page; (desk, the address of each page)."""
    return desk_with_every_page()


def record_form_states(page, live_server, urls: dict, findings: Findings) -> None:
    """The record form as it is worked: a supplier chosen, a limit broken, a refused
    submission's message, and the add-account dialog open."""
    page.goto(f"{live_server.url}{urls['record']}")
    page.select_option("#supplier", urls["supplier"])
    page.wait_for_selector("#invoice-table tbody tr")
    page.select_option("#account", urls["account"])
    page.fill("#amount", "150000.00")
    page.wait_for_selector("#fee-gateway:text('UPI payouts go up to')")
    page.click("#submit-payment")
    page.wait_for_selector("#action-result.message-error")
    findings.check(page, "record, a supplier chosen and the payment refused")
    page.click("#add-account")
    page.wait_for_selector("#account-dialog[open]")
    findings.check(page, "record, the add-account dialog")


@pytest.mark.parametrize("person", EVERY_PERSON)
def test_every_page_of_each_role_has_no_serious_violation(
    live_server, browser_context, offsite, desk, person
):
    people, urls = desk
    page = offsite(browser_context(**DESK)).new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, people.people[person].username)
    findings = Findings()
    for name in ROLE_PAGES[person]:
        skipped = DJANGO_ADMIN_RULES_SKIPPED if name.startswith("admin_") else ()
        visit(page, live_server, name, urls[name], findings, skip_rules=skipped)
    if person == "payments":
        record_form_states(page, live_server, urls, findings)
    findings.assert_none_serious(f"role-{person}")
    assert offsite.requests == []


@pytest.fixture
def patient_link(live_server, settings):
    """An open payment link for 1,000 of a 2,400 bill (tests/browser/workspace_pages.py)."""
    return open_patient_link(live_server, settings)


def test_the_patients_pages_on_a_phone_have_no_serious_violation(
    live_server, browser_context, offsite, patient_link
):
    page = offsite(browser_context(**PHONE)).new_page()
    page.set_default_timeout(15_000)
    findings = Findings()
    link_page = f"/pay/link/{patient_link.token}"
    visit(page, live_server, "link, open", link_page, findings)

    page.click("a.pay")
    page.click("button[value=failure]")
    page.wait_for_selector("text=Payment failed")  # the gateway keeps the patient on its page
    page.goto(failed_return(patient_link))
    page.wait_for_selector("[data-state=failed]")
    findings.check(page, "link, the payment failed")

    page.click("text=Try again")
    page.click("a.pay")
    page.click("button[value=success]")
    page.wait_for_selector("[data-state=thanks]")
    findings.check(page, "link, the payment received")
    page.click("text=See your receipt")
    page.wait_for_selector("text=Payment receipt")
    findings.check(page, "receipt")

    page.goto(f"{live_server.url}{link_page}")
    page.wait_for_selector("[data-state=paid]")
    findings.check(page, "link, the bill paid")
    page.goto(f"{live_server.url}/pay/link/no-such-token")
    page.wait_for_selector("[data-state=unknown]")
    findings.check(page, "link, not found")
    findings.assert_none_serious("patient-phone")
    assert offsite.requests == []


def failed_return(link: PaymentLink) -> str:
    """The link's return address as the gateway would sign it for the declined payment (the
    sandbox, like Razorpay, keeps the patient on its page after a decline; this is the page
    a patient sees who comes back without having paid)."""
    gateway_link = SandboxObject.objects.get(object_id=link.gateway_link_id).body
    payment = SandboxObject.objects.get(entity="payment", status="failed")
    fields = {
        "razorpay_payment_id": payment.object_id,
        "razorpay_payment_link_id": gateway_link["id"],
        "razorpay_payment_link_reference_id": gateway_link["reference_id"],
        "razorpay_payment_link_status": gateway_link["status"],
        "razorpay_signature": payment_link_signature(
            link_id=gateway_link["id"],
            reference_id=gateway_link["reference_id"],
            status=gateway_link["status"],
            payment_id=payment.object_id,
            secret=payment.merchant.key_secret,
        ),
    }
    return f"{gateway_link['callback_url']}?{urlencode(fields)}"


def sign_in(page, live_server, username: str, password: str = PASSWORD, next_url: str = "/") -> None:
    page.goto(f"{live_server.url}/admin/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")


def test_the_sign_in_and_two_factor_pages_have_no_serious_violation(
    live_server, browser_context, offsite, settings
):
    people = accounts_desk()
    settings.REQUIRE_TOTP_FOR_KEY_HOLDERS = True
    page = offsite(browser_context(**DESK)).new_page()
    page.set_default_timeout(15_000)
    findings = Findings()
    visit(page, live_server, "sign-in", "/admin/login/?next=/", findings)
    sign_in(page, live_server, people.people["payments"].username, "not-the-password")
    page.wait_for_selector(".errornote")
    findings.check(page, "sign-in, a wrong password")

    # A gateway admin's first sign-in: set up the authenticator, then the recovery codes.
    gateway_admin = people.people["gatewayadmin"]
    sign_in(page, live_server, gateway_admin.username, next_url="/admin/")
    page.wait_for_selector("#totp-enrol-form")
    findings.check(page, "two-factor set-up", skip_rules=DJANGO_ADMIN_RULES_SKIPPED)
    device = TOTPDevice.objects.get(user=gateway_admin, confirmed=False)
    page.fill("#id_otp_token", code_for(device))
    page.click("#totp-enrol-form input[type=submit]")
    page.wait_for_selector("#recovery-codes")
    findings.check(page, "two-factor recovery codes", skip_rules=DJANGO_ADMIN_RULES_SKIPPED)

    # A key holder signed in before two-factor was required is asked for a code, and after
    # a wrong one told so.
    page.context.clear_cookies()
    superuser = people.people["superuser"]
    enrolled_device(superuser)
    settings.REQUIRE_TOTP_FOR_KEY_HOLDERS = False
    sign_in(page, live_server, superuser.username, next_url="/admin/")
    page.wait_for_url(f"{live_server.url}/admin/")
    settings.REQUIRE_TOTP_FOR_KEY_HOLDERS = True
    page.goto(f"{live_server.url}/admin/")
    page.wait_for_selector("#totp-verify-form")
    findings.check(page, "two-factor code", skip_rules=DJANGO_ADMIN_RULES_SKIPPED)
    page.fill("#id_otp_token", "000000")
    page.click("#totp-verify-form input[type=submit]")
    page.wait_for_selector("#totp-verify-form .errorlist")
    findings.check(page, "two-factor code, a wrong code", skip_rules=DJANGO_ADMIN_RULES_SKIPPED)
    findings.assert_none_serious("sign-in")
    assert offsite.requests == []
