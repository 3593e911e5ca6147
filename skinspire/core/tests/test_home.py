"""The site's home: anonymous visitors log in; each role sees what it can do and where."""

import re

import pytest

from skinspire.core.roles import (
    ROLE_ACCOUNTANT,
    ROLE_DESCRIPTIONS,
    ROLE_GATEWAY_ADMIN,
    ROLE_PAYMENT_APPROVER,
    ROLE_PAYMENTS_STAFF,
    SUPERUSER_DESCRIPTION,
)
from skinspire.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HOSPITALS_VIEW = (
    "Hospitals and staff",
    [
        ("Branches", "/admin/core/branch/", "you can view"),
        ("Hospitals", "/admin/core/hospital/", "you can view"),
    ],
)
AUDIT_AND_HOSPITALS_VIEW = (
    "Hospitals and staff",
    [("Audit entries", "/admin/core/auditentry/", "you can view"), *HOSPITALS_VIEW[1]],
)
CONFIGURATIONS = "/admin/gateways/gatewayconfiguration/"
TRANSACTION_LOG = ("Gateway transaction logs", "/admin/gateways/gatewaytransactionlog/", "you can view")


def collections_section(bills_and_patients: str) -> tuple[str, list[tuple[str, str, str]]]:
    return (
        "Patient collections",
        [
            ("Bills", "/admin/collections/bill/", bills_and_patients),
            ("Patient payments", "/admin/collections/patientpayment/", "you can view"),
            ("Patient refunds", "/admin/collections/patientrefund/", "you can view"),
            ("Patients", "/admin/collections/patient/", bills_and_patients),
            ("Payment links", "/admin/collections/paymentlink/", "you can view"),
        ],
    )


def payouts_section(*abilities: str) -> tuple[str, list[tuple[str, str, str]]]:
    """Payout batches, policies, supplier accounts, invoices, payments and suppliers, in that order."""
    places = [
        ("Payout batches", "payoutbatch"),
        ("Payout policies", "payoutpolicy"),
        ("Supplier accounts", "supplieraccount"),
        ("Supplier invoices", "supplierinvoice"),
        ("Supplier payments", "supplierpayment"),
        ("Suppliers", "supplier"),
    ]
    return (
        "Payouts",
        [
            (name, f"/admin/payouts/{path}/", ability)
            for (name, path), ability in zip(places, abilities, strict=True)
        ],
    )


def sections(response) -> list[tuple[str, list[tuple[str, str, str]]]]:
    return [
        (section.name, [(place.title, place.url, place.description) for place in section.places])
        for section in response.context["admin_sections"]
    ]


def test_an_anonymous_visitor_is_sent_to_log_in_and_comes_back_home(client):
    response = client.get("/")
    assert (response.status_code, response["Location"]) == (302, "/admin/login/?next=/")

    UserFactory(username="asha", roles=[ROLE_PAYMENTS_STAFF])
    response = client.post(
        "/admin/login/?next=/", {"username": "asha", "password": "correct-horse-battery", "next": "/"}
    )
    assert (response.status_code, response["Location"]) == (302, "/")
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    ("role", "expected_sections"),
    [
        (
            ROLE_GATEWAY_ADMIN,
            [
                (
                    "Gateways",
                    [
                        ("Gateway configurations", CONFIGURATIONS, "you can view, add, change"),
                        TRANSACTION_LOG,
                        ("Webhook events", "/admin/gateways/webhookevent/", "you can view"),
                    ],
                ),
                AUDIT_AND_HOSPITALS_VIEW,
                # Gateway admins switch gateway payouts on and off for the hospital.
                (
                    "Payouts",
                    [("Payout policies", "/admin/payouts/payoutpolicy/", "you can view, add, change")],
                ),
            ],
        ),
        (
            ROLE_PAYMENTS_STAFF,
            [
                ("Gateways", [("Gateway configurations", CONFIGURATIONS, "you can view")]),
                HOSPITALS_VIEW,
                collections_section("you can view, add, change"),
                payouts_section(
                    "you can view",
                    "you can view",
                    "you can view, add",
                    "you can view, add, change",
                    "you can view",
                    "you can view, add, change",
                ),
            ],
        ),
        # Approvers do not see gateway configurations: the payment they approve names its gateway.
        # They approve changed supplier accounts, so they may change those.
        (
            ROLE_PAYMENT_APPROVER,
            [
                HOSPITALS_VIEW,
                payouts_section(
                    "you can view",
                    "you can view",
                    "you can view, change",
                    "you can view",
                    "you can view",
                    "you can view",
                ),
            ],
        ),
    ],
)
def test_each_role_sees_its_description_and_exactly_its_admin_sections(client, role, expected_sections):
    client.force_login(UserFactory(roles=[role]))
    response = client.get("/")
    assert response.status_code == 200
    assert [(item.name, item.description) for item in response.context["roles"]] == [
        (role, ROLE_DESCRIPTIONS[role])
    ]
    assert sections(response) == expected_sections
    html = response.content.decode()
    assert f"<strong>{role}</strong>" in html
    for _, places in expected_sections:
        for title, url, _ in places:
            assert f'<a href="{url}">{title}</a>' in html


def test_the_accountant_sees_the_ledger_and_the_transaction_log_but_no_configurations(client):
    client.force_login(UserFactory(roles=[ROLE_ACCOUNTANT]))
    found = dict(sections(client.get("/")))
    assert set(found) == {
        "Gateways",
        "Hospitals and staff",
        "General ledger",
        "Patient collections",
        "Payouts",
        "Reconciliation",
    }
    assert found["Patient collections"] == collections_section("you can view")[1]
    assert found["Payouts"] == payouts_section(*["you can view"] * 6)[1]
    assert found["Reconciliation"] == [
        ("Discrepancies", "/admin/reconciliation/discrepancy/", "you can view, change"),
        ("Matching settings", "/admin/reconciliation/matchingsettings/", "you can view, add, change"),
        ("Reconciliation items", "/admin/reconciliation/reconciliationitem/", "you can view"),
        ("Reconciliation runs", "/admin/reconciliation/reconciliationrun/", "you can view"),
    ]
    assert found["Gateways"] == [TRANSACTION_LOG]
    assert found["General ledger"] == [
        ("Accounts", "/admin/ledger/account/", "you can view, add, change"),
        ("Journal entries", "/admin/ledger/journalentry/", "you can view"),
    ]


def test_the_superuser_sees_every_admin_section(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/")
    assert [(item.name, item.description) for item in response.context["roles"]] == [
        ("Superuser", SUPERUSER_DESCRIPTION)
    ]
    found = dict(sections(response))
    assert ("Users", "/admin/core/user/", "you can view, add, change, delete") in found["Hospitals and staff"]
    assert ("Gateway configurations", CONFIGURATIONS, "you can view, add, change, delete") in found[
        "Gateways"
    ]


def test_a_person_without_a_role_or_admin_access_is_told_so(client):
    client.force_login(UserFactory(is_staff=False))
    html = client.get("/").content.decode()
    assert "You have no role yet." in html
    assert "No admin sections for you yet." in html


def test_api_docs_and_the_sandbox_are_linked_and_the_sandbox_only_when_installed(client, settings):
    client.force_login(UserFactory(roles=[ROLE_PAYMENTS_STAFF]))
    places = [(place.title, place.url) for place in client.get("/").context["api_places"]]
    assert places == [
        ("API documentation (Swagger UI)", "/api/docs/"),
        ("API reference (ReDoc)", "/api/redoc/"),
        ("API index", "/api/"),
        ("Sandbox gateway", "/sandbox/"),
    ]
    # Where the sandbox is not installed (production), it adds no link of its own.
    settings.INSTALLED_APPS = [name for name in settings.INSTALLED_APPS if name != "skinspire.sandbox"]
    response = client.get("/")
    assert "/sandbox/" not in [place.url for place in response.context["api_places"]]
    assert "/sandbox/" not in response.content.decode()


def test_the_page_has_no_inline_script_or_style_and_only_local_css(client):
    client.force_login(UserFactory(roles=[ROLE_GATEWAY_ADMIN]))
    html = client.get("/").content.decode()
    assert "<script" not in html
    assert "<style" not in html
    assert " style=" not in html
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', html) == ["/static/skinspire/site.css"]


def test_log_out_is_a_post_form_with_a_csrf_token(client):
    client.force_login(UserFactory(roles=[ROLE_GATEWAY_ADMIN]))
    html = client.get("/").content.decode()
    assert re.search(
        r'<form method="post" action="/admin/logout/"><input type="hidden" name="csrfmiddlewaretoken"', html
    )
