"""The admin and the hosted payment pages work in Chromium under the Content-Security-Policy.

The `page` and `browser_context` fixtures (conftest.py) fail any browser test whose pages
report a violation; the first test here proves that listener sees one.
"""

import pytest
from django.contrib import admin
from django.http import HttpResponse
from django.test import override_settings
from django.urls import NoReverseMatch, include, path, reverse
from django_celery_beat.models import CrontabSchedule

from conftest import watch_csp_violations
from skinspire.core.tests.factories import UserFactory
from skinspire.sandbox.tests.factories import SandboxMerchantFactory

INLINE = '<!doctype html><title>Inline</title><p id="ran">no</p><script>ran.textContent = "yes";</script>'


def inline_script_page(request):
    return HttpResponse(INLINE)


urlpatterns = [path("inline/", inline_script_page), path("", include("skinspire.urls"))]


def admin_pages() -> list[str]:
    """Every registered model's changelist and add page."""
    pages = []
    for model in admin.site._registry:
        for view in ("changelist", "add"):
            try:
                pages.append(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"))
            except NoReverseMatch:  # a model admin without that view
                continue
    return pages


def sandbox_client(merchant, live_server):
    import razorpay

    return razorpay.Client(
        auth=(merchant.key_id, merchant.key_secret), base_url=f"{live_server.url}/sandbox/razorpay"
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_listener_sees_an_inline_script_being_blocked(live_server, browser):
    context = browser.new_context()
    violations = watch_csp_violations(context)
    try:
        with override_settings(ROOT_URLCONF=__name__):
            page = context.new_page()
            page.goto(f"{live_server.url}/inline/")
            assert page.locator("#ran").inner_text() == "no"
            page.wait_for_function("() => true")
    finally:
        context.close()
    assert f"script-src-elem blocked inline on {live_server.url}/inline/" in violations
    assert any(text.startswith("Executing inline script violates the following Content Security Policy")
               for text in violations)  # fmt: skip


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_admin_works_under_the_policy(live_server, page):
    UserFactory(username="root", hospital=None, is_superuser=True)
    CrontabSchedule.objects.create(minute="30", hour="2", timezone="Asia/Kolkata")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "correct-horse-battery")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    assert page.locator("#site-name").inner_text() == "Skinspire Payments administration"
    # Its own (empty) icon, so the browser does not ask for /favicon.ico, which answers 404.
    assert page.locator('link[rel="icon"]').get_attribute("href") == "data:,"

    statuses = {url: page.goto(f"{live_server.url}{url}").status for url in admin_pages()}
    assert set(statuses.values()) <= {200, 403}, statuses  # 403: add pages of write-once logs

    # django-celery-beat's crontab reading, now a static script instead of an inline one.
    page.goto(f"{live_server.url}/admin/django_celery_beat/periodictask/add/")
    page.select_option("#id_crontab", index=1)
    assert page.locator(".field-crontab .help").inner_text() == (
        "Crontab Schedule to run the task on. Set only one schedule type, leave the others null.\n"
        "Translation: At 02:30 AM Asia/Kolkata"
    )
    assert page.csp_violations == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_checkout_hands_the_result_to_a_callback_on_another_origin(live_server, page):
    merchant = SandboxMerchantFactory(name="Skinspire Hospital")
    client = sandbox_client(merchant, live_server)
    order = client.order.create({"amount": 75000, "currency": "INR", "receipt": "OPD-78"}, timeout=10)
    # The site answers on both names; to the browser they are two origins.
    callback = live_server.url.replace("localhost", "127.0.0.1") + "/sandbox/"
    assert callback.startswith("http://127.0.0.1:") and live_server.url.startswith("http://localhost:")

    page.goto(f"{live_server.url}/sandbox/razorpay/checkout/{order['id']}/?callback_url={callback}")
    page.click("button[value=success]")
    page.wait_for_selector("#callback")

    assert page.url == callback
    assert page.locator('#callback code[data-name="razorpay_order_id"]').inner_text() == order["id"]
    assert page.csp_violations == []
    client.session.close()
    page.goto("about:blank")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_payment_link_redirects_to_a_callback_on_another_origin(live_server, page):
    merchant = SandboxMerchantFactory(name="Skinspire Hospital")
    client = sandbox_client(merchant, live_server)
    callback = live_server.url.replace("localhost", "127.0.0.1") + "/sandbox/"
    link = client.payment_link.create(
        {"amount": 5000, "description": "OPD", "callback_url": callback, "callback_method": "get"}, timeout=10
    )

    page.goto(link["short_url"])
    page.click("button[value=success]")
    page.wait_for_selector("#callback")

    assert page.url.startswith(f"{callback}?razorpay_payment_id=pay_")
    assert page.locator('#callback code[data-name="razorpay_payment_link_status"]').inner_text() == "paid"
    assert page.csp_violations == []
    client.session.close()
    page.goto("about:blank")
