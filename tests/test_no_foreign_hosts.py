"""Every page a person can reach from the home page, and the files those pages load, refer
to this site only: no CDN, no web font, no image from another host (tests/offline_check.py)."""

import io

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from skinspire.collections.models import Bill
from skinspire.core.demo import DEMO_HOSPITAL_CODE
from skinspire.core.models import User
from skinspire.payouts.models import Supplier
from skinspire.sandbox.models import SandboxMerchant
from skinspire.sandbox.tests.factories import razorpay_client
from tests.offline_check import Crawl, Finding, PageParser, is_foreign

pytestmark = pytest.mark.django_db

PAGE_LIMIT = 600


@pytest.fixture
def demo_site():
    call_command("seed_demo", stdout=io.StringIO())
    merchant = SandboxMerchant.objects.get(key_id="rzp_test_SkinspDemo0001")
    order = razorpay_client(merchant).order.create({"amount": 150000, "currency": "INR", "receipt": "OPD-1"})
    # A supplier payment, so the workspace's payment page (and its script) is crawled too.
    payments = APIClient()
    payments.force_authenticate(User.objects.get(username="payments"))
    supplier = Supplier.objects.filter(hospital__code=DEMO_HOSPITAL_CODE).order_by("pk").first()
    body = {"supplier_id": supplier.pk, "amount": "1250.00", "mode": "cheque", "manual_reference": "CHQ 1"}
    payment = payments.post("/api/payouts/payments/manual", body, format="json").json()
    bill = Bill.objects.filter(hospital__code=DEMO_HOSPITAL_CODE, status="unpaid").order_by("pk").first()
    body = {"bill_id": bill.pk, "amount": "100.00", "method": "cash"}
    patient_payment = payments.post("/api/patient-payments/manual", body, format="json").json()
    return {
        "patient_payment": f"/workspace/patient-payments/{patient_payment['id']}/",
        "bill": f"/workspace/bills/{bill.pk}/",
        "payment": f"/workspace/payouts/{payment['id']}/",
        "checkout": f"/sandbox/razorpay/checkout/{order['id']}/",
        "merchant": f"/admin/sandbox/sandboxmerchant/{merchant.pk}/change/",
    }


CONFIGURATIONS = "/admin/gateways/gatewayconfiguration/"
TRANSACTION_LOG = "/admin/gateways/gatewaytransactionlog/"
# The staff workspace's pages, reached from the navigation: the list and the payment's page.
WORKSPACE_PAYOUTS = ("/workspace/payouts/", "{payment}")
WORKSPACE_PATIENTS = ("/workspace/patient-payments/", "{patient_payment}", "/workspace/bills/", "{bill}")
WORKSPACE_RECORD = "/workspace/payouts/new/"
WORKSPACE_BATCHES = "/workspace/payouts/batches/"
WORKSPACE_RECONCILIATION = "/workspace/reconciliation/"


@pytest.mark.parametrize(
    ("username", "admin_pages"),
    [
        (
            "admin",
            {
                CONFIGURATIONS,
                TRANSACTION_LOG,
                "/admin/core/user/",
                "{merchant}",
                *WORKSPACE_PAYOUTS,
                "/workspace/payouts/approvals/",
                *WORKSPACE_PATIENTS,
                WORKSPACE_RECORD,
                WORKSPACE_BATCHES,
                WORKSPACE_RECONCILIATION,
            },
        ),
        ("gatewayadmin", {CONFIGURATIONS, TRANSACTION_LOG, "/admin/gateways/gatewayconfiguration/add/"}),
        (
            "payments",
            {
                CONFIGURATIONS,
                "/admin/core/hospital/",
                *WORKSPACE_PAYOUTS,
                *WORKSPACE_PATIENTS,
                WORKSPACE_RECORD,
                WORKSPACE_BATCHES,
            },
        ),
        (
            "approver",
            {"/admin/core/branch/", *WORKSPACE_PAYOUTS, "/workspace/payouts/approvals/", WORKSPACE_BATCHES},
        ),
        (
            "accountant",
            {
                TRANSACTION_LOG,
                "/admin/ledger/account/",
                "/admin/ledger/journalentry/",
                *WORKSPACE_PAYOUTS,
                *WORKSPACE_PATIENTS,
                WORKSPACE_BATCHES,
                WORKSPACE_RECONCILIATION,
            },
        ),
    ],
)
def test_nothing_a_signed_in_person_can_reach_loads_from_another_host(
    client, demo_site, username, admin_pages
):
    client.force_login(User.objects.get(username=username))
    crawl = Crawl(client)

    crawl.run(
        ["/", "/admin/", "/api/docs/", "/api/redoc/", "/sandbox/", demo_site["checkout"]], limit=PAGE_LIMIT
    )

    assert [str(finding) for finding in crawl.findings] == []
    # Every page this role reaches, read as its reader sees it: no template syntax printed.
    assert [str(finding) for finding in crawl.template_text] == []
    # The crawl really went where it should, and read the files those pages load.
    assert {"/", "/admin/", "/api/docs/", "/api/redoc/", "/sandbox/", demo_site["checkout"]} <= set(
        crawl.pages
    )
    assert {
        "/static/skinspire/site.css",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css",
        "/api/docs/?script=",
        "/api/redoc/redoc.standalone.js",
        "/static/admin/css/base.css",
    } <= set(crawl.files)
    assert {page.format(**demo_site) for page in admin_pages} <= set(crawl.pages)
    if "/workspace/payouts/" in admin_pages:
        assert "/static/workspace/workspace.js" in crawl.files
    if WORKSPACE_RECORD in admin_pages:
        assert "/static/workspace/payout-form.js" in crawl.files
    if WORKSPACE_BATCHES in admin_pages:
        assert "/static/workspace/batch.js" in crawl.files
    if WORKSPACE_RECONCILIATION in admin_pages:
        assert "/static/reconciliation/dashboard.css" in crawl.files


def test_the_crawl_follows_every_link_from_home(client, demo_site):
    client.force_login(User.objects.get(username="accountant"))
    crawl = Crawl(client)
    crawl.run(["/"], limit=PAGE_LIMIT)
    assert {"/admin/ledger/account/", "/admin/ledger/journalentry/", "/api/docs/", "/sandbox/"} <= set(
        crawl.pages
    )
    assert "/admin/gateways/gatewayconfiguration/" not in crawl.pages


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<script src="https://cdn.jsdelivr.net/npm/swagger-ui-dist@latest/x.js"></script>', "<script src>"),
        ('<link rel="stylesheet" href="//fonts.googleapis.com/css2?family=Roboto">', "<link href>"),
        ('<a href="https://razorpay.com/docs/">docs</a>', "<a href>"),
        ('<img srcset="/static/a.png 1x, http://cdn.example/b.png 2x">', "<img srcset>"),
        ('<div style="background: url(https://cdn.example/bg.png)"></div>', "css"),
        ("<style>@import 'https://fonts.example/a.css';</style>", "css"),
        ('<script>fetch("https://telemetry.example/x")</script>', "script"),
        ('<meta http-equiv="refresh" content="0;url=https://elsewhere.example/">', "<meta refresh>"),
    ],
)
def test_the_checker_catches_each_kind_of_foreign_reference(client, html, expected):
    crawl = Crawl(client)
    parser = PageParser()
    parser.feed(html)
    crawl.findings += [Finding("page", what, value) for what, value in parser.references if is_foreign(value)]
    for style in parser.styles:
        crawl.scan_css("page", style, base="/")
    for script in parser.scripts:
        crawl.scan_js("page", script)
    assert [finding.what for finding in crawl.findings] == [expected]


@pytest.mark.parametrize(
    "text",
    [
        '<svg xmlns="http://www.w3.org/2000/svg"></svg>',  # a namespace, not a load
        '<a href="/admin/">admin</a><img src="data:image/png;base64,AAAA">',
        '<a href="mailto:accounts@hospital.example">mail</a>',
        '<script>const docs = "https://reactjs.org/docs/error-decoder.html";</script>',
        '<a href="http://testserver/api/">api</a>',
        '<a href="http://sandbox.testserver/sandbox/">the sandbox, by the name its demo URLs use</a>',
    ],
)
def test_the_checker_lets_local_and_non_loading_references_pass(client, text):
    crawl = Crawl(client)
    parser = PageParser()
    parser.feed(text)
    for script in parser.scripts:
        crawl.scan_js("page", script)
    assert [value for _, value in parser.references if is_foreign(value)] == []
    assert crawl.findings == []


def test_a_served_script_is_scanned_like_a_static_one(client, staff_user):
    client.force_login(staff_user)
    crawl = Crawl(client)
    crawl.scan_file("/api/redoc/redoc.standalone.js", kind="js")
    assert crawl.findings == []
    # The bundle as the sidecar ships it would be caught: it fetches Redocly's logo from their CDN.
    crawl.scan_file("/static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js", kind="js")
    assert [str(finding) for finding in crawl.findings] == [
        "/static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js: script -> https://cdn.redoc.ly/redoc/logo-mini.svg"
    ]


@pytest.mark.parametrize(
    ("html", "shown"),
    [
        ("<p>{# a comment written over\n two lines #}</p>", ["{#", "#}"]),
        ("<p>{% url 'home' %}</p>", ["{%", "%}"]),
        ("<p>Hello {{ user }}</p>", ["{{"]),
        ('<p>Paid</p><script>const t = \'{{ not shown }}\';</script><pre>{"a": {"b": 1}}</pre>', []),
    ],
)
def test_the_checker_sees_template_syntax_a_page_prints(html, shown):
    parser = PageParser()
    parser.feed(html)
    assert parser.template_syntax_shown() == shown
