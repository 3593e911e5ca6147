"""No admin page shows a supplier's account number or UPI id, to any role; each role sees
the pages its permissions allow, and only its own hospital's accounts."""

import pytest
from django.urls import reverse

from skinspire.core.roles import (
    ROLE_ACCOUNTANT,
    ROLE_GATEWAY_ADMIN,
    ROLE_PAYMENT_APPROVER,
    ROLE_PAYMENTS_STAFF,
)
from skinspire.core.tests.factories import HospitalFactory, UserFactory
from skinspire.payouts.models import SupplierAccount
from skinspire.payouts.tests.factories import SupplierFactory, bank_account, upi_account

pytestmark = pytest.mark.django_db

NUMBER, VPA = "50100012345678", "medisupply@okhdfc"
# role -> (changelist status, change page status)
EXPECTED = {
    "superuser": (200, 200),
    ROLE_PAYMENTS_STAFF: (200, 200),
    ROLE_PAYMENT_APPROVER: (200, 200),
    ROLE_ACCOUNTANT: (200, 200),
    ROLE_GATEWAY_ADMIN: (403, 403),
}


@pytest.fixture
def accounts(supplier):
    return bank_account(supplier, account_number=NUMBER), upi_account(supplier, vpa=VPA)


def make_user(role, hospital, branch):
    if role == "superuser":
        return UserFactory(hospital=None, is_superuser=True)
    return UserFactory(hospital=hospital, branches=[branch], roles=[role])


@pytest.mark.parametrize("role", list(EXPECTED))
def test_every_role_sees_accounts_masked_or_not_at_all(client, hospital, branch, accounts, role):
    client.force_login(make_user(role, hospital, branch))
    pages = [reverse("admin:payouts_supplieraccount_changelist")]
    pages += [reverse("admin:payouts_supplieraccount_change", args=[account.pk]) for account in accounts]

    responses = [client.get(page) for page in pages]

    assert [response.status_code for response in responses] == [EXPECTED[role][0], *[EXPECTED[role][1]] * 2]
    for response in responses:
        body = response.content.decode()
        for secret in (NUMBER, VPA, NUMBER[-8:], "medisupply@"):
            assert secret not in body
    if EXPECTED[role][0] == 200:
        assert "XXXX5678 (HDFC0000123)" in responses[0].content.decode()
        assert "me***@okhdfc" in responses[0].content.decode()


def test_another_hospitals_accounts_are_not_listed(client, hospital, branch, accounts):
    bank_account(
        SupplierFactory(hospital=HospitalFactory(), name="Elsewhere Ltd"), account_number="99990000123456"
    )
    client.force_login(make_user(ROLE_PAYMENTS_STAFF, hospital, branch))

    response = client.get(reverse("admin:payouts_supplieraccount_changelist"))

    assert response.context["cl"].result_count == 2
    assert "Elsewhere Ltd" not in response.content.decode()


def test_admin_cannot_filter_on_the_encrypted_columns(client, hospital, branch, accounts):
    client.force_login(make_user("superuser", hospital, branch))

    response = client.get(reverse("admin:payouts_supplieraccount_changelist"), {"account_number": NUMBER})

    assert response.status_code in (302, 400)


def test_the_add_form_takes_the_number_in_a_password_input_and_stores_it_through_the_service(
    client, hospital, branch, supplier
):
    client.force_login(make_user(ROLE_PAYMENTS_STAFF, hospital, branch))
    url = reverse("admin:payouts_supplieraccount_add")

    form_page = client.get(url)
    bad = client.post(
        url,
        {
            "supplier": supplier.pk,
            "kind": "bank",
            "holder_name": "Acme",
            "ifsc": "BAD",
            "account_number": NUMBER,
        },
    )
    good = client.post(
        url,
        {
            "supplier": supplier.pk,
            "kind": "bank",
            "holder_name": "Acme",
            "ifsc": "HDFC0000123",
            "account_number": NUMBER,
        },
    )

    assert 'type="password"' in form_page.content.decode()
    assert bad.status_code == 200 and "IFSC is 11 characters" in bad.content.decode()
    assert NUMBER not in bad.content.decode()
    assert good.status_code == 302
    created = SupplierAccount.objects.get()
    assert (created.account_number, created.masked) == (NUMBER, "XXXX5678 (HDFC0000123)")


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("superuser", 200),
        (ROLE_PAYMENTS_STAFF, 200),
        (ROLE_PAYMENT_APPROVER, 200),
        (ROLE_ACCOUNTANT, 200),
        (ROLE_GATEWAY_ADMIN, 403),
    ],
)
def test_payment_pages_show_the_masked_account_and_the_history(
    client, hospital, branch, accounts, maker, role, expected
):
    from skinspire.payouts.models import SupplierPayment
    from skinspire.payouts.services.payments import PaymentRequest, supplier_payment_create

    supplier_payment_create(
        request=PaymentRequest(supplier=accounts[0].supplier, amount="10.00", method="manual", mode="cash"),
        maker=maker,
    )
    payment = SupplierPayment.objects.get()
    client.force_login(make_user(role, hospital, branch))

    pages = [
        client.get(reverse("admin:payouts_supplierpayment_changelist")),
        client.get(reverse("admin:payouts_supplierpayment_change", args=[payment.pk])),
    ]

    assert [page.status_code for page in pages] == [expected, expected]
    for page in pages:
        assert NUMBER not in page.content.decode()
    if expected == 200:
        assert "status history" in pages[1].content.decode().lower()


def test_a_gateway_admin_switches_gateway_payouts_off_in_admin_and_it_is_audited(client, hospital, branch):
    from skinspire.core.audit import AuditEntry
    from skinspire.payouts.models import PayoutPolicy

    client.force_login(make_user(ROLE_GATEWAY_ADMIN, hospital, branch))
    url = reverse("admin:payouts_payoutpolicy_add")

    response = client.post(
        url,
        {
            "hospital": hospital.pk,
            "approval_threshold": "75000.00",
            "gateway_payouts_disabled_branches": [branch.pk],
        },
    )

    assert response.status_code == 302, response.content.decode()[:500]
    policy = PayoutPolicy.objects.get()
    assert (policy.approval_threshold, policy.gateway_payouts_enabled) == (75000, False)
    assert list(policy.gateway_payouts_disabled_branches.all()) == [branch]
    changes = [
        entry.changes
        for entry in AuditEntry.objects.filter(action="payouts.policy.update").order_by("sequence")
    ]
    assert changes == [
        {
            "approval_threshold": {"from": "50000.00", "to": "75000.00"},
            "gateway_payouts_enabled": {"from": True, "to": False},
        },
        {"gateway_payouts_disabled_branches": {"from": [], "to": [branch.pk]}},
    ]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("superuser", 200),
        (ROLE_PAYMENTS_STAFF, 200),
        (ROLE_PAYMENT_APPROVER, 200),
        (ROLE_ACCOUNTANT, 200),
        (ROLE_GATEWAY_ADMIN, 403),
    ],
)
def test_batches_are_listed_read_only(client, hospital, branch, maker, role, expected):
    from skinspire.payouts.models import PayoutBatch

    batch = PayoutBatch.objects.create(hospital=hospital, name="November", created_by=maker)
    client.force_login(make_user(role, hospital, branch))

    pages = [
        client.get(reverse("admin:payouts_payoutbatch_changelist")),
        client.get(reverse("admin:payouts_payoutbatch_change", args=[batch.pk])),
    ]

    assert [page.status_code for page in pages] == [expected, expected]
    if expected == 200:
        assert maker.username in pages[1].content.decode()
